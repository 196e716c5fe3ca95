using k8s.Models;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The built-in kinds the sandbox serves, with the names, scopes, short names, categories and
/// subresources a real v1.32 apiserver reports for them in discovery.
/// </summary>
public static class BuiltinResources
{
    public static IReadOnlyList<ApiResource> All { get; } =
    [
        Core<V1Namespace>("namespaces", "namespace", namespaced: false, shortNames: ["ns"], status: true)
            with { Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"] },
        Core<V1Secret>("secrets", "secret"),
        Core<V1ConfigMap>("configmaps", "configmap", shortNames: ["cm"]),
        Core<V1Pod>("pods", "pod", shortNames: ["po"], categories: ["all"], status: true, other: ["log"]),
        Core<V1Service>("services", "service", shortNames: ["svc"], categories: ["all"], status: true),
        Core<V1ServiceAccount>("serviceaccounts", "serviceaccount", shortNames: ["sa"]),
        Core<V1PersistentVolumeClaim>("persistentvolumeclaims", "persistentvolumeclaim", shortNames: ["pvc"], status: true),
        Core<V1Node>("nodes", "node", namespaced: false, shortNames: ["no"], status: true),
        Core<Corev1Event>("events", "event", shortNames: ["ev"]),
        Named<Eventsv1Event>("events.k8s.io", "v1", "events", "event", shortNames: ["ev"]),
        Named<V1Deployment>("apps", "v1", "deployments", "deployment", shortNames: ["deploy"], categories: ["all"], status: true, other: ["scale"]),
        Named<V1ReplicaSet>("apps", "v1", "replicasets", "replicaset", shortNames: ["rs"], categories: ["all"], status: true, other: ["scale"]),
        Named<V1Job>("batch", "v1", "jobs", "job", categories: ["all"], status: true),
        Named<V1Lease>("coordination.k8s.io", "v1", "leases", "lease"),
        Named<V1PodDisruptionBudget>("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", shortNames: ["pdb"], status: true),
        Named<V1Role>("rbac.authorization.k8s.io", "v1", "roles", "role"),
        Named<V1RoleBinding>("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding"),
        Named<V1ClusterRole>("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", namespaced: false),
        Named<V1ClusterRoleBinding>("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", namespaced: false),
        Named<V1CustomResourceDefinition>("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
            namespaced: false, shortNames: ["crd", "crds"], categories: ["api-extensions"], status: true),
        Named<V1SelfSubjectAccessReview>("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview",
            namespaced: false) with { Verbs = ApiVerbs.CreateOnly, Virtual = true },
    ];

    /// <summary>Finds a built-in resource by group and plural.</summary>
    public static ApiResource? Find(string group, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Plural == plural);

    private static ApiResource Core<T>(string plural, string singular, bool namespaced = true, string[]? shortNames = null,
        string[]? categories = null, bool status = false, string[]? other = null) =>
        Named<T>("", "v1", plural, singular, namespaced, shortNames, categories, status, other);

    private static ApiResource Named<T>(string group, string version, string plural, string singular, bool namespaced = true,
        string[]? shortNames = null, string[]? categories = null, bool status = false, string[]? other = null) => new()
    {
        Group = group,
        Version = version,
        Kind = KindOf(typeof(T)),
        Plural = plural,
        Singular = singular,
        Namespaced = namespaced,
        ShortNames = shortNames ?? [],
        Categories = categories ?? [],
        HasStatusSubresource = status,
        OtherSubresources = other ?? [],
        ModelType = typeof(T),
    };

    private static string KindOf(Type model) =>
        (Attribute.GetCustomAttribute(model, typeof(KubernetesEntityAttribute)) as KubernetesEntityAttribute)?.Kind
        ?? throw new InvalidOperationException($"{model.Name} has no KubernetesEntity attribute");
}
