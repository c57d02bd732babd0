// Starts GraphiQL on the talentgraph playground page. The page passes its settings as a JSON
// data block (#playground-config: endpoint, request headers, example operation, style nonce), so
// no inline script runs and the page's Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('playground-config').textContent);
  // GraphiQL's dialogs inject a <style> element; it carries this nonce, which the CSP allows.
  window.__webpack_nonce__ = config.styleNonce;
  var fetcher = GraphiQL.createFetcher({ url: config.url, headers: config.headers });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.query,
      defaultEditorToolsVisibility: true,
    })
  );
})();
