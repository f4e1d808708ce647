// Starts YASGUI on the query page: the editor, result tables and charts, shareable links.
(function () {
  "use strict";
  var holder = document.getElementById("yasgui");
  if (!holder || typeof Yasgui === "undefined") { return; }
  document.getElementById("plain-form").classList.add("hidden");
  var endpoint = new URL(holder.dataset.endpoint, window.location.href).href;
  new Yasgui(holder, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: document.getElementById("query").value }
  });
})();
