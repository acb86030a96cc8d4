/** The emulator's control API as the page reaches it, through the sandbox server. */

export interface Account {
  phoneNumber: string;
  conversationsServiceSid: string;
}

export interface Text {
  sid: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-reply';
  from: string;
  to: string;
  body: string;
  media: string[];
  status: string;
}

export interface Task {
  sid: string;
  assignmentStatus: 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';
  reason: string | null;
  attributes: Record<string, unknown>;
  conversationSid: string | null;
  dateCreated: string;
}

export interface ThreadMessage {
  sid: string;
  index: number;
  author: string;
  body: string | null;
  attributes: string;
  media: { sid: string; content_type: string; filename: string | null }[] | null;
  date_created: string;
}

export interface Attachment {
  contentType: string;
  base64: string;
  filename: string;
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api/emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error((json as { error?: string } | undefined)?.error ?? `${path}: ${response.status}`);
  return json as T;
}

export const api = {
  account: () => call<Account>('GET', 'account'),
  texts: (number: string) => call<Text[]>('GET', `texts?with=${encodeURIComponent(number)}`),
  text: (from: string, body: string, media: Attachment[]) =>
    call<unknown>('POST', 'sms', {
      from,
      body,
      media: media.map(({ contentType, base64 }) => ({ contentType, base64 })),
    }),
  tasks: () => call<Task[]>('GET', 'flex/tasks'),
  messages: (conversationSid: string) => call<ThreadMessage[]>('GET', `conversations/${conversationSid}/messages`),
  play: (action: 'accept' | 'decline' | 'complete' | 'cancel' | 'timeout', taskSid: string) =>
    call<unknown>('POST', `flex/${action}`, { taskSid }),
  reply: (taskSid: string, body: string, media: Attachment[]) =>
    call<unknown>('POST', 'flex/reply', { taskSid, body, media }),
};

/** An emulated Twilio media URL, downloaded by the sandbox server with the account's credentials. */
export const mediaSrc = (url: string) => `/api/media?url=${encodeURIComponent(url)}`;

export function readAttachment(file: File): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error(`Cannot read ${file.name}`));
    reader.onload = () => {
      const dataUrl = reader.result as string; // readAsDataURL gives a string
      resolve({
        contentType: file.type || 'application/octet-stream',
        base64: dataUrl.slice(dataUrl.indexOf(',') + 1),
        filename: file.name,
      });
    };
    reader.readAsDataURL(file);
  });
}

/** Calls `load` now and every `ms` while mounted; what changed on either side shows without a reload. */
export function poll(load: () => Promise<void>, ms: number, onError: (error: Error) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      await load();
    } catch (error) {
      onError(error as Error);
    } finally {
      if (!stopped) timer = setTimeout(() => void tick(), ms);
    }
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
