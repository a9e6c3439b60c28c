// The tests import the library's source (the platform-neutral core); under Node it needs its
// Node adapter (wasm files, host threads, WebGPU from Dawn), as the Node build's entry installs it.
import '../src/platform/node';
