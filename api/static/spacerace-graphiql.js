// Starts GraphiQL on the page that api/graphiql.py renders: the page's JSON config
// names the endpoint and the example queries, each opened in its own tab (the
// first, Voskhod 2, active), with the explorer plugin and the docs explorer.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("graphiql-config").textContent);
  const root = document.getElementById("graphiql");
  if (typeof React === "undefined" || typeof GraphiQL === "undefined") {
    root.textContent = config.bundled
      ? "GraphiQL's files did not load from this server."
      : "GraphiQL's files could not be loaded from " + config.cdn + ".";
    return;
  }
  const fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  const plugins = [];
  if (typeof GraphiQLPluginExplorer !== "undefined") {
    plugins.push(GraphiQLPluginExplorer.explorerPlugin());
  }
  const tabs = config.tabs.map(function (tab) {
    return { query: tab.query };
  });

  function SpaceRaceGraphiQL() {
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: plugins,
      defaultTabs: tabs,
      // A returning visitor keeps their stored tabs; this one is made active.
      query: tabs.length ? tabs[0].query : undefined,
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    });
  }

  ReactDOM.createRoot(root).render(React.createElement(SpaceRaceGraphiQL));
})();
