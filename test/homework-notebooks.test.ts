/**
 * The homework notebooks as committed: no outputs, every TODO cell followed by its self-check, the
 * solutions file naming exactly the TODO cells, and the solutions' short answers matching the hashes
 * the grader holds (so the stubs-and-solutions run in CI can pass only for the right reason).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { homeworkDir } from '../kernel-src/paths';
import { hw1, hw2, hw3 } from '../lib/grader';
import { setDisplaySink } from '../lib/display/sink';

interface Cell { id?: string; cell_type: string; metadata: { tags?: string[] }; source: string[] | string; outputs?: unknown[]; execution_count?: number | null }
const src = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);
const tagged = (c: Cell, t: string) => (c.metadata.tags ?? []).includes(t);

const homeworks: Record<string, (a: Record<string, unknown>) => { passed: boolean }[]> = { 'hw1-local': hw1.answers, 'hw2-global-internals': hw2.answers, 'hw3-attention': hw3.answers };

describe('homework notebooks as committed', () => {
  for (const [name, checkAnswers] of Object.entries(homeworks)) {
    describe(name, () => {
      const nb = JSON.parse(fs.readFileSync(path.join(homeworkDir, `${name}.ipynb`), 'utf8')) as { cells: Cell[] };
      const solutions = JSON.parse(fs.readFileSync(path.join(homeworkDir, 'solutions', `${name}.json`), 'utf8')) as Record<string, string>;

      it('has no outputs and unique cell ids', () => {
        for (const c of nb.cells) if (c.cell_type === 'code') assert.ok(!c.outputs?.length && c.execution_count == null, `cell ${c.id} has outputs`);
        const ids = nb.cells.map((c) => c.id);
        assert.strictEqual(new Set(ids).size, ids.length);
      });

      it('follows every TODO cell by a self-check cell, and solves exactly the TODO cells', () => {
        const todo = nb.cells.filter((c) => tagged(c, 'todo'));
        assert.ok(todo.length >= 4, `${todo.length} TODO cells`);  // three functions and the answers at least
        nb.cells.forEach((c, i) => {
          if (tagged(c, 'todo')) assert.ok(tagged(nb.cells[i + 1], 'check'), `TODO cell ${c.id} is not followed by a check`);
        });
        assert.deepStrictEqual(Object.keys(solutions).sort(), todo.map((c) => c.id!).sort());
        for (const c of todo) assert.notStrictEqual(src(c).trim(), solutions[c.id!].trim(), `cell ${c.id} already holds its solution`);
      });

      it("the solutions' answers match the grader's hashes, and the stubs' do not", () => {
        const restore = setDisplaySink({ live: false, display: () => undefined, update: () => undefined });
        try {
          const read = (text: string) => {
            const answers: Record<string, unknown> = {};
            for (const m of text.matchAll(/answers\.(q\d+)\s*=\s*([^;]+);/g)) answers[m[1]] = m[2].trim() === 'undefined' ? undefined : JSON.parse(m[2].trim().replace(/'/g, '"'));
            return answers;
          };
          const stub = read(src(nb.cells.find((c) => c.id === 'answers')!));
          const solved = read(solutions.answers);
          assert.ok(Object.keys(solved).length >= 2);
          assert.ok(checkAnswers(solved).every((r) => r.passed), 'a solution answer does not match its hash');
          assert.ok(checkAnswers(stub).every((r) => !r.passed), 'a stub answer passes');
          // the answers are not written in the notebook's prose or code
          const text = nb.cells.map(src).join('\n');
          assert.ok(!/answers\.q\d+\s*=\s*['"\d]/.test(text), 'the notebook assigns an answer');
        } finally {
          setDisplaySink(restore);
        }
      });
    });
  }
});
