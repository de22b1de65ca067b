/**
 * Short questions answered in code (`answers.q7 = 'c'`), checked without the answer being
 * readable: the notebook (or the library) stores sha256(salt : question id : answer), never the
 * answer. The answer is normalised first (trimmed, lower case), so `' B'` counts as `'b'`.
 * A hash of a multiple-choice answer hides it from reading, not from trying every option: the
 * check says ✓/✗ and the point is that a student reasons before trying.
 *
 * @example
 * ```ts
 * answerHash('hw1', 'q3', 'b');   // the teacher computes this once, puts it in the check
 * checkAnswer('hw1', 'q3', answers.q3, '5d0f…');
 * ```
 */
import { createHash } from 'crypto';
import { type CheckResult, report } from './result';

/** The normal form an answer is hashed in: a trimmed, lower-case string. */
export function normaliseAnswer(answer: unknown): string {
  return String(answer).trim().toLowerCase();
}

/**
 * sha256 hex of `salt:id:answer` (the answer normalised by {@link normaliseAnswer}).
 *
 * @example
 * ```ts
 * answerHash('hw1-local', 'q1', 'b');   // → 64 hex digits to store in the check
 * ```
 */
export function answerHash(salt: string, id: string, answer: unknown): string {
  return createHash('sha256').update(`${salt}:${id}:${normaliseAnswer(answer)}`).digest('hex');
}

/**
 * Checks one short answer against its stored hash and shows ✓/✗ (no hint, no answer).
 * `undefined`/empty → ✗ "no answer yet".
 *
 * @example
 * ```ts
 * checkAnswer('hw1-local', 'q1', answers.q1, answerHash('hw1-local', 'q1', 'b'));
 * ```
 */
export function checkAnswer(salt: string, id: string, given: unknown, hash: string, options: { quiet?: boolean } = {}): CheckResult {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`checkAnswer: hash must be 64 hex digits (answerHash(salt, id, answer)); got ${JSON.stringify(hash)}`);
  const name = `answers.${id}`;
  let r: CheckResult;
  if (given === undefined || given === null || normaliseAnswer(given) === '') {
    r = { name, passed: false, status: 'missing', message: 'no answer yet' };
  } else if (answerHash(salt, id, given) === hash) {
    r = { name, passed: true, status: 'pass', message: 'right' };
  } else {
    r = { name, passed: false, status: 'answer', message: `${JSON.stringify(normaliseAnswer(given))} is not the answer; look at the numbers above again` };
  }
  return options.quiet ? r : report(r);
}
