/**
 * Realistic stack traces per engine, shaped after what each engine actually prints
 * (Node/Bun samples were captured from real runs; browser ones follow the engines' formats).
 * Hosts, paths and names are invented.
 */

/** Chrome/Edge (V8): async, eval, anonymous, built-ins and an extension-wrapped listener. */
export const CHROME_STACK = [
  "TypeError: Cannot read properties of undefined (reading 'email')",
  "    at renderProfile (https://app.example.com/assets/index-BvK3x9Qa.js:42:18)",
  "    at https://app.example.com/assets/index-BvK3x9Qa.js:57:9",
  "    at Array.map (<anonymous>)",
  "    at eval (eval at compileTemplate (https://app.example.com/assets/vendor-8d7f6e5a.js:3:1042), <anonymous>:1:15)",
  "    at new ProfileList (https://app.example.com/assets/index-BvK3x9Qa.js:60:14)",
  "    at Object.<anonymous> (https://app.example.com/assets/index-BvK3x9Qa.js:71:3)",
  "    at async Promise.all (index 0)",
  "    at async loadProfiles (https://app.example.com/assets/index-BvK3x9Qa.js?v=3:88:5)",
  "    at HTMLButtonElement.<anonymous> (chrome-extension://abcdefghijklmnopabcdefghijklmnop/content.js:12:7)",
].join("\n");

/** Node (V8) request handler: node: internals, node_modules, "[as x]" aliases, async frames. */
export const NODE_ASYNC_STACK = [
  "TypeError: Cannot read properties of null (reading 'id')",
  "    at getUserId (/srv/api/dist/users/service.js:27:19)",
  "    at /srv/api/dist/users/service.js:40:22",
  "    at Array.map (<anonymous>)",
  "    at Layer.handle [as handle_request] (/srv/api/node_modules/express/lib/router/layer.js:95:5)",
  "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
  "    at async listUsers (/srv/api/dist/routes/users.js:12:17)",
  "    at async file:///srv/api/dist/server.mjs:7:7",
].join("\n");

/** Node CommonJS startup, including a pre-"node:" internal path and the legacy "(native)". */
export const NODE_STARTUP_STACK = [
  "Error: Cannot find module './config.json'",
  "Require stack:",
  "- /home/alice/projects/api/index.js",
  "    at Object.<anonymous> (/home/alice/projects/api/index.js:3:16)",
  "    at Module._compile (node:internal/modules/cjs/loader:1521:14)",
  "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)",
  "    at Array.forEach (native)",
  "    at internal/main/run_main_module.js:17:47",
].join("\n");

/** Bun: V8-style text, but JavaScriptCore underneath ("native:1:11", "(unknown)", "<anonymous>"). */
export const BUN_STACK = [
  "TypeError: Cannot read properties of undefined (reading 'id')",
  "    at <anonymous> (/srv/worker/app.ts:4:55)",
  "    at map (native:1:11)",
  "    at eval (unknown)",
  "    at new Repo (/srv/worker/app.ts:4:33)",
  "    at async handler (/srv/worker/app.ts:6:33)",
].join("\n");

/** Firefox (SpiderMonkey): no header line, "async*" causes, "line N > eval", anonymous "@". */
export const FIREFOX_STACK = [
  "handleSubmit@https://app.example.com/static/js/main.3f9a2c1b.js:2:10455",
  "validate/<@https://app.example.com/static/js/main.3f9a2c1b.js:2:9980",
  "@https://app.example.com/static/js/main.3f9a2c1b.js line 2 > eval:1:7",
  "async*submitForm@https://app.example.com/static/js/main.3f9a2c1b.js:2:11020",
  "EventListener.handleEvent*@https://app.example.com/static/js/main.3f9a2c1b.js:2:12001",
  "promise callback*loadConfig@moz-extension://2f1a6c9e-7b1d-4c55-9a0e-1e0f3c2d4b5a/inject.js:4:3",
  "",
].join("\n");

/** Safari (JavaScriptCore): "[native code]", eval code, bare anonymous locations, global code. */
export const SAFARI_STACK = [
  "renderRow@https://app.example.com/assets/app-8d7f6e5a.js:14:2231",
  "map@[native code]",
  "https://app.example.com/assets/app-8d7f6e5a.js:14:2390",
  "eval code",
  "eval@[native code]",
  "global code@https://app.example.com/assets/app-8d7f6e5a.js:20:11",
].join("\n");

/** Safari ES module entry point, with a header prepended the way many SDKs send it. */
export const SAFARI_MODULE_STACK = [
  "TypeError: undefined is not an object (evaluating 'user.email')",
  "loadUser@webkit-masked-url://hidden/:1:1",
  "module code@https://app.example.com/assets/index-BvK3x9Qa.js:3:19",
  "[native code]",
].join("\n");
