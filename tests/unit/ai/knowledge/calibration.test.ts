import {
  answersAnyway,
  calibratedThreshold,
  UNRELATED_MESSAGES,
} from '../../../../assets/ai/knowledge/calibration.private';

const samples = (right: boolean, ...confidences: number[]) => confidences.map((confidence) => ({ confidence, right }));

describe('calibrating the confidence an answer needs', () => {
  it('answers as much as it can while at most 1 in 10 unrelated messages gets an answer', () => {
    const own = samples(true, 1, 1, 0.9, 0.8, 0.7);
    const unrelated = [...samples(false, 0.8, 0.7, 0.64), ...samples(false, ...Array<number>(17).fill(0))];
    expect(calibratedThreshold(own, unrelated)).toBe(0.65);
    expect(calibratedThreshold(own, samples(false, ...Array<number>(20).fill(0)))).toBe(0.51);
  });

  it("keeps wrong topics for the knowledge base's own questions to 3 in 100", () => {
    const own = [...samples(true, ...Array<number>(30).fill(1)), ...samples(false, 0.75, 0.6)];
    expect(calibratedThreshold(own, samples(false, 0))).toBe(0.76);
  });

  it('never answers a question a topic covers half of or less, and is never unreachable', () => {
    expect(calibratedThreshold(samples(true, 1), samples(false, 0))).toBeGreaterThan(0.5);
    expect(calibratedThreshold(samples(false, 1), samples(false, 1))).toBeLessThan(1);
  });

  it('needs no threshold for a confidence below or at the top of the range thresholds are searched in', () => {
    expect(answersAnyway(0.5)).toBe(false);
    expect(answersAnyway(0.9)).toBe(true);
    expect(answersAnyway(0.51)).toBeUndefined();
    expect(answersAnyway(0.89)).toBeUndefined();
    expect(calibratedThreshold(samples(false, 1), samples(false, 1))).toBeLessThanOrEqual(0.9);
  });

  it('ships everyday messages in each language the engine stems', () => {
    expect(UNRELATED_MESSAGES.en.length).toBeGreaterThanOrEqual(40);
    expect(UNRELATED_MESSAGES.es.length).toBeGreaterThanOrEqual(20);
  });
});
