// aws-local-stepfunctions 3.0.0 declares node >= 22 for Promise.withResolvers (ES2024), the
// only newer API it uses; this machine and CI run Node 20. Loaded with --require.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
