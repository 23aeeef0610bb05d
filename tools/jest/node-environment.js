// Jest runs each test file in its own V8 context, so typed arrays made by native addons
// (onnxruntime-node) fail the `instanceof Float32Array` checks done inside the test
// context. Sharing the outer realm's typed-array constructors fixes that.
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

const SHARED = ['Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer', 'Uint8ClampedArray'];

class OrtNodeEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtNodeEnvironment;
