// The cluster view (worker nodes) is filled by the fabric (issue 12): it
// replaces this module's body, keeping the signature.  el is the
// #cluster-view panel; api is ./api.js (get/post/events with the token).
export function registerClusterView(el, api) {
  void el;
  void api;
}
