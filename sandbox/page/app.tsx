/**
 * The sandbox page: the contact's phone on the left, a rep desk after Flex UI's on the right (or, in its other
 * tab, the Insights view), all live from the emulator. The desk renders the plugin's own Handoff card and AI author mark.
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import ReactDOM from 'react-dom';
import { aiNameAmong, AiAuthorMark, isAiMessage, postKind } from '../../flex-plugin/src/ai-messages';
import { HandoffCard } from '../../flex-plugin/src/handoff-card';
import { DeskAndInsights } from './insights';
import { api, type Attachment, mediaSrc, poll, readAttachment, type Task, type Text, type ThreadMessage } from './api';
import { DeskAssist } from './assist';

const POLL_MS = 500;
/** The contact the phone plays; any valid number works. */
const CONTACT = new URLSearchParams(location.search).get('contact') ?? '+14155550100';

type Report = (error: Error) => void;

function usePolled<T>(load: (() => Promise<T>) | undefined, report: Report): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    setValue(undefined);
    if (!load) return undefined;
    return poll(async () => setValue(await load()), POLL_MS, report);
  }, [load, report]);
  return value;
}

/** Keeps a thread scrolled to its newest message, as a phone and Flex do, when the count changes. */
function useLatestInView(count: number) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollTo({ top: ref.current.scrollHeight });
  }, [count]);
  return ref;
}

function AttachButton({ onPick, label }: { onPick: (files: Attachment[]) => void; label: string }) {
  return (
    <label className="attach" title={label}>
      Photo
      <input
        type="file"
        accept="image/*"
        multiple
        aria-label={label}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          void Promise.all(files.map(readAttachment)).then(onPick);
        }}
      />
    </label>
  );
}

/** A text box with attachments, shared by the phone and the desk. */
function Compose({
  className,
  placeholder,
  send,
  multiline,
  disabled,
  inserted,
}: {
  className: string;
  placeholder: string;
  send: (body: string, media: Attachment[]) => Promise<unknown>;
  multiline?: boolean;
  disabled?: boolean;
  /** A text put into the box from outside (rep assist's Insert), replacing what it held. */
  inserted?: { text: string };
}) {
  const [body, setBody] = useState('');
  useEffect(() => {
    if (inserted) setBody(inserted.text);
  }, [inserted]);
  const [media, setMedia] = useState<Attachment[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (busy || (!body.trim() && media.length === 0)) return;
    setBusy(true);
    send(body, media)
      .then(() => {
        setBody('');
        setMedia([]);
      })
      .finally(() => setBusy(false));
  };
  const field = {
    value: body,
    placeholder,
    disabled,
    'aria-label': placeholder,
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setBody(event.target.value),
  };
  return (
    <form onSubmit={submit}>
      {media.length > 0 && (
        <div className="pending-media">
          {media.map((m) => m.filename).join(', ')}{' '}
          <button type="button" onClick={() => setMedia([])}>
            ✕
          </button>
        </div>
      )}
      <div className={className}>
        {!disabled && <AttachButton label="Attach a photo" onPick={(files) => setMedia([...media, ...files])} />}
        {multiline ? (
          <textarea
            {...field}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey) submit(event);
            }}
          />
        ) : (
          <input type="text" {...field} />
        )}
        <button className="primary" type="submit" disabled={disabled || busy}>
          Send
        </button>
      </div>
    </form>
  );
}

function Phone({ twilioNumber, report }: { twilioNumber: string; report: Report }) {
  const load = useCallback(() => api.texts(CONTACT), []);
  const texts = usePolled(load, report) ?? [];
  const thread = useLatestInView(texts.length);
  return (
    <section className="phone" aria-label="Contact's phone">
      <div className="phone-screen">
        <div className="phone-header">
          <strong>{twilioNumber}</strong>
          <small>You are {CONTACT}</small>
        </div>
        <div className="phone-thread" data-testid="phone-thread" ref={thread}>
          {texts.map((text: Text) => (
            <div
              key={text.sid}
              className={`bubble ${text.direction === 'inbound' ? 'sent' : 'received'} ${text.status === 'failed' ? 'failed' : ''}`}
              data-direction={text.direction === 'inbound' ? 'sent' : 'received'}
            >
              {text.media.map((url) => (
                <img key={url} src={mediaSrc(url)} alt="MMS photo" />
              ))}
              {text.body}
              {text.status === 'failed' && <small> (not delivered)</small>}
            </div>
          ))}
        </div>
        <Compose
          className="phone-compose"
          placeholder="Text message"
          send={(body, media) => api.text(CONTACT, body, media).catch(report)}
        />
      </div>
    </section>
  );
}

const STATUS: Record<Task['assignmentStatus'], string> = {
  pending: 'Incoming',
  reserved: 'Ringing',
  assigned: 'Accepted',
  wrapping: 'Wrapping up',
  completed: 'Completed',
  canceled: 'Canceled',
};

/** What the reply box says while the rep cannot type in it, or invites them to. */
const REPLY_PLACEHOLDER: Record<Task['assignmentStatus'], string> = {
  pending: 'Accept the task to reply',
  reserved: 'Accept the task to reply',
  assigned: 'Type a reply',
  wrapping: 'Conversation ended: wrap up the task',
  completed: 'Task ended: the contact is back with the AI',
  canceled: 'Task canceled: the contact is back with the AI',
};

const taskTitle = (task: Task) => String(task.attributes.from ?? task.attributes.name ?? task.sid);
const open = (task: Task) => task.assignmentStatus !== 'completed' && task.assignmentStatus !== 'canceled';

function TaskItem({
  task,
  selected,
  onSelect,
  report,
}: {
  task: Task;
  selected: boolean;
  onSelect: () => void;
  report: Report;
}) {
  const act = (action: Parameters<typeof api.play>[0]) => (event: React.MouseEvent) => {
    event.stopPropagation();
    api.play(action, task.sid).catch(report);
  };
  return (
    <div className={`task ${selected ? 'selected' : ''}`} onClick={onSelect} data-task={task.sid}>
      <div className="title">{taskTitle(task)}</div>
      <div className="status" data-status={task.assignmentStatus}>
        SMS · {STATUS[task.assignmentStatus]}
        {task.reason && !open(task) ? ` · ${task.reason}` : ''}
      </div>
      {open(task) && (
        <div className="actions">
          {task.assignmentStatus === 'pending' && (
            <>
              <button className="primary" onClick={act('accept')}>
                Accept
              </button>
              <button onClick={act('decline')}>Decline</button>
            </>
          )}
          <span title="Supervisor">
            <button onClick={act('timeout')}>Let it time out</button>{' '}
            <button className="danger" onClick={act('cancel')}>
              Cancel task
            </button>
          </span>
        </div>
      )}
    </div>
  );
}

function Message({ message, aiName, serviceSid }: { message: ThreadMessage; aiName?: string; serviceSid: string }) {
  const kind = postKind(message);
  const ai = isAiMessage(message, aiName);
  const rep = !kind && message.author.startsWith('alice');
  return (
    <div className={`message ${rep ? 'rep' : ''} ${kind === 'handoff_note' ? 'note' : ''}`} data-kind={kind ?? 'live'}>
      <div className="author">{ai ? <AiAuthorMark name={message.author} locale="en-US" /> : message.author}</div>
      <div className="text">
        {message.body}
        {(message.media ?? []).map((media) => (
          <img
            key={media.sid}
            alt={media.filename ?? 'photo'}
            src={mediaSrc(`https://mcs.us1.twilio.com/v1/Services/${serviceSid}/Media/${media.sid}/Content`)}
          />
        ))}
      </div>
    </div>
  );
}

function TaskCanvas({ task, serviceSid, report }: { task: Task; serviceSid: string; report: Report }) {
  const conversationSid = task.conversationSid;
  const load = useCallback(() => api.messages(conversationSid ?? ''), [conversationSid]);
  const messages = usePolled(conversationSid ? load : undefined, report) ?? [];
  const aiName = aiNameAmong(messages);
  const thread = useLatestInView(messages.length);
  const accepted = task.assignmentStatus === 'assigned';
  const [inserted, setInserted] = useState<{ text: string }>();
  return (
    <>
      <div className="canvas">
        <div className="canvas-header">
          <span className="title">{taskTitle(task)}</span>
          <span className="status">{STATUS[task.assignmentStatus]}</span>
          <span className="spacer" />
          {(accepted || task.assignmentStatus === 'wrapping') && (
            <button className="primary" onClick={() => void api.play('complete', task.sid).catch(report)}>
              Wrap up &amp; complete
            </button>
          )}
        </div>
        <div className="thread" data-testid="desk-thread" ref={thread}>
          {messages.map((message) => (
            <Message key={message.sid} message={message} aiName={aiName} serviceSid={serviceSid} />
          ))}
        </div>
        <DeskAssist task={task} messages={messages} onInsert={(text) => setInserted({ text })} />
        <Compose
          className="desk-compose"
          placeholder={REPLY_PLACEHOLDER[task.assignmentStatus]}
          disabled={!accepted}
          multiline
          inserted={inserted}
          send={(body, media) => api.reply(task.sid, body, media).catch(report)}
        />
      </div>
      <aside className="panel" aria-label="Task info">
        <h2>Info</h2>
        <div data-testid="handoff-card">
          <HandoffCard attributes={task.attributes} locale="en-US" />
        </div>
      </aside>
    </>
  );
}

function Desk({ serviceSid, report }: { serviceSid: string; report: Report }) {
  const tasks = usePolled(api.tasks, report) ?? [];
  const [selectedSid, setSelectedSid] = useState<string>();
  const selected = tasks.find((task) => task.sid === selectedSid) ?? tasks.find(open);
  // A task shown stays shown once it ends, as in Flex until the rep closes it.
  useEffect(() => {
    if (selected && selected.sid !== selectedSid) setSelectedSid(selected.sid);
  }, [selected, selectedSid]);
  return (
    <section className="desk" aria-label="Rep desk">
      <div className="desk-bar">
        <strong>Flex</strong> <span>Agent Desktop (sandbox)</span>
        <span className="agent">Alice Rep · Available</span>
      </div>
      <div className="desk-body">
        <div className="task-list">
          <h2>Tasks</h2>
          {tasks.length === 0 && <div className="empty">No tasks: text “I want to talk to a person”.</div>}
          {tasks.map((task) => (
            <TaskItem
              key={task.sid}
              task={task}
              selected={task.sid === selected?.sid}
              onSelect={() => setSelectedSid(task.sid)}
              report={report}
            />
          ))}
        </div>
        {selected ? (
          <TaskCanvas key={selected.sid} task={selected} serviceSid={serviceSid} report={report} />
        ) : (
          <div className="empty">Select a task</div>
        )}
      </div>
    </section>
  );
}

function App() {
  const [error, setError] = useState<string>();
  const report = useCallback((e: Error) => setError(e.message), []);
  const account = usePolled(
    useCallback(() => api.account(), []),
    report,
  );
  useEffect(() => {
    if (!error) return undefined;
    const timer = setTimeout(() => setError(undefined), 5000);
    return () => clearTimeout(timer);
  }, [error]);
  if (!account) return <div className="empty">Connecting to the emulator…</div>;
  return (
    <main className="sandbox">
      <Phone twilioNumber={account.phoneNumber} report={report} />
      <DeskAndInsights desk={<Desk serviceSid={account.conversationsServiceSid} report={report} />} onError={report} />
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
    </main>
  );
}

ReactDOM.render(<App />, document.getElementById('root'));
