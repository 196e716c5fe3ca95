using k8s.Models;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// One resource the sandbox API server serves, as discovery, OpenAPI, tables, RBAC and the store see
/// it. Built-in kinds come from <see cref="BuiltinResources"/>; custom resources from their CRD.
/// </summary>
public sealed record ApiResource
{
    /// <summary>API group; empty for the core (legacy) group.</summary>
    public required string Group { get; init; }

    public required string Version { get; init; }
    public required string Kind { get; init; }

    /// <summary>Lower-case plural used in paths and RBAC rules (deployments).</summary>
    public required string Plural { get; init; }

    public required string Singular { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Verbs of the main resource, in discovery order.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = ApiVerbs.All;

    /// <summary>True when writes to the main resource ignore .status and /status writes only .status.</summary>
    public bool HasStatusSubresource { get; init; }

    /// <summary>Subresources besides status (log for pods, scale for deployments…).</summary>
    public IReadOnlyList<string> OtherSubresources { get; init; } = [];

    /// <summary>The KubernetesClient model type of a built-in kind (for OpenAPI); null for custom resources.</summary>
    public Type? ModelType { get; init; }

    /// <summary>A custom resource's openAPIV3Schema; null for built-in kinds.</summary>
    public V1JSONSchemaProps? Schema { get; init; }

    /// <summary>A custom resource's additionalPrinterColumns; null for built-in kinds.</summary>
    public IReadOnlyList<V1CustomResourceColumnDefinition>? PrinterColumns { get; init; }

    /// <summary>Create-only kinds with no storage (SelfSubjectAccessReview).</summary>
    public bool Virtual { get; init; }

    /// <summary>Kind of the list type; defaults to <see cref="Kind"/> + "List".</summary>
    public string? ListKind { get; init; }

    /// <summary>The version objects are stored in (a CRD's storage version); defaults to <see cref="Version"/>.</summary>
    public string? StorageVersion { get; init; }

    /// <summary>The list kind, defaulted.</summary>
    public string ListKindName => ListKind ?? Kind + "List";

    /// <summary>
    /// Discovery's storageVersionHash: base64 of the first 8 bytes of sha256("group/storageVersion/Kind"),
    /// as k8s.io/apiserver/pkg/endpoints/discovery.StorageVersionHash computes it.
    /// </summary>
    public string StorageVersionHash
    {
        get
        {
            var digest = System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes($"{Group}/{StorageVersion ?? Version}/{Kind}"));
            return Convert.ToBase64String(digest, 0, 8);
        }
    }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Group/resource as RBAC and error messages name it: deployments.apps, pods.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public bool IsCustom => ModelType is null && !Virtual;
}

/// <summary>The verbs the Kubernetes API uses in discovery and RBAC.</summary>
public static class ApiVerbs
{
    public static readonly IReadOnlyList<string> All = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    public static readonly IReadOnlyList<string> CreateOnly = ["create"];
}
