using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>The namespace controllers: default ServiceAccount, kube-root-ca.crt ConfigMap and the lifecycle of terminating namespaces.</summary>
internal sealed partial class ClusterControllers
{
    private static readonly ApiResource Namespaces = BuiltinResources.Find("", "namespaces")!;
    private static readonly ApiResource ServiceAccounts = BuiltinResources.Find("", "serviceaccounts")!;
    private static readonly ApiResource ConfigMaps = BuiltinResources.Find("", "configmaps")!;

    private readonly HashSet<string> _defaultAccounts = new(StringComparer.Ordinal);

    private bool NamespaceLifecycle()
    {
        var changed = false;
        var namespaces = _m.Store.Table(Namespaces).Snapshot(null).Items;

        // The service account controller: every active namespace gets a "default" ServiceAccount.
        var accounts = _m.Store.Table(ServiceAccounts);
        foreach (var ns in namespaces.Where(n => !Deleting(n) && !_defaultAccounts.Contains(n.Uid)))
        {
            if (accounts.Get(ns.Name, "default") is null)
            {
                try
                {
                    _m.Create(ServiceAccounts, ns.Name, new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "ServiceAccount",
                        ["metadata"] = new JsonObject { ["name"] = "default" },
                    }, WriteOptions.ForController("kube-controller-manager"));
                }
                catch (ApiException e) when (e.Code is 409 or 403 or 404)
                {
                }
            }

            // The root CA publisher: every namespace gets the kube-root-ca.crt ConfigMap.
            if (_rootCaPem is not null && _m.Store.Table(ConfigMaps).Get(ns.Name, "kube-root-ca.crt") is null)
            {
                try
                {
                    _m.Create(ConfigMaps, ns.Name, new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "ConfigMap",
                        ["metadata"] = new JsonObject
                        {
                            ["name"] = "kube-root-ca.crt",
                            ["annotations"] = new JsonObject
                            {
                                ["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
                            },
                        },
                        ["data"] = new JsonObject { ["ca.crt"] = _rootCaPem },
                    }, WriteOptions.ForController("kube-controller-manager"));
                }
                catch (ApiException e) when (e.Code is 409 or 403 or 404)
                {
                }
            }

            _defaultAccounts.Add(ns.Uid);
        }

        foreach (var ns in namespaces.Where(Deleting))
        {
            // (Only terminating namespaces cost a scan of the namespaced tables.)
            var remaining = 0;
            foreach (var table in _m.Store.Tables.Where(t => t.Resource.Namespaced).ToList())
            {
                foreach (var item in table.Snapshot(ns.Name).Items)
                {
                    remaining++;
                    if (!Deleting(item))
                    {
                        TryDelete(table.Resource, item);
                        changed = true;
                    }
                }
            }

            if (remaining == 0 && Json.StringList(ns.Object["spec"]?["finalizers"]).Count > 0)
            {
                _m.SetNamespaceFinalizers(ns.Name, new JsonArray(), _internal);
                changed = true;
            }
        }

        return changed;
    }
}
