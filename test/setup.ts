/** Mocha root hooks: make the engine ready once (wasm unless tfjs-node loads), quietly. */
import { ready } from '../lib/engine';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60000);
    await ready({ verbose: false });
  },
};
