// Starts GraphiQL on the talentgraph playground page. The page passes its settings as a JSON
// data block (#playground-config: endpoint, request headers, example operation, style nonce), so
// no inline script runs and the page's Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('playground-config').textContent);
  // GraphiQL's dialogs inject a <style> element; it carries this nonce, which the CSP allows.
  window.__webpack_nonce__ = config.styleNonce;
  // Signed in (demo mode), the page renews its short-lived token a minute before it expires, so
  // a playground left open keeps working. Headers typed into GraphiQL's editor still win.
  var headers = config.headers;
  var expiresAt = config.tokenExpiresAt ? Date.parse(config.tokenExpiresAt) : null;
  function renewed() {
    if (expiresAt === null || Date.now() < expiresAt - 60000) return Promise.resolve();
    return fetch(config.tokenUrl, { cache: 'no-store' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (token) {
        if (token) {
          headers = { Authorization: 'Bearer ' + token.accessToken };
          expiresAt = Date.parse(token.expiresAt);
        }
      })
      .catch(function () {});
  }
  var fetcher = function (params, options) {
    return renewed().then(function () {
      return GraphiQL.createFetcher({ url: config.url, headers: headers })(params, options);
    });
  };
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.query,
      defaultEditorToolsVisibility: true,
    })
  );
})();
