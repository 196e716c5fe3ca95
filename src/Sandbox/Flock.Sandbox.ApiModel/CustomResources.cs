using k8s.Models;

namespace Flock.Sandbox.ApiModel;

/// <summary>Turns a CustomResourceDefinition into the <see cref="ApiResource"/>s its served versions add.</summary>
public static class CustomResources
{
    /// <summary>The verbs, in the order, the apiextensions-apiserver lists for every custom resource.</summary>
    public static readonly IReadOnlyList<string> Verbs = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];

    /// <summary>One resource per served version of <paramref name="crd"/>, storage version first when several are served.</summary>
    public static IReadOnlyList<ApiResource> FromCrd(V1CustomResourceDefinition crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var spec = crd.Spec;
        var names = crd.Status?.AcceptedNames ?? spec.Names;
        var namespaced = !string.Equals(spec.Scope, "Cluster", StringComparison.Ordinal);
        return spec.Versions
            .Where(v => v.Served)
            .Select(v => new ApiResource
            {
                Group = spec.Group,
                Version = v.Name,
                Kind = names.Kind,
                Plural = names.Plural,
                Singular = string.IsNullOrEmpty(names.Singular) ? names.Kind.ToLowerInvariant() : names.Singular,
                Namespaced = namespaced,
                ShortNames = names.ShortNames?.ToList() ?? [],
                Categories = names.Categories?.ToList() ?? [],
                Verbs = Verbs,
                HasStatusSubresource = v.Subresources?.Status is not null,
                OtherSubresources = v.Subresources?.Scale is not null ? ["scale"] : [],
                Schema = v.Schema?.OpenAPIV3Schema,
                PrinterColumns = v.AdditionalPrinterColumns?.ToList() ?? DefaultPrinterColumns,
                ListKind = string.IsNullOrEmpty(names.ListKind) ? names.Kind + "List" : names.ListKind,
                StorageVersion = spec.Versions.FirstOrDefault(s => s.Storage)?.Name ?? v.Name,
            })
            .ToList();
    }

    /// <summary>The column the apiserver defaults a CRD version without additionalPrinterColumns to.</summary>
    public static readonly IReadOnlyList<V1CustomResourceColumnDefinition> DefaultPrinterColumns =
    [
        new V1CustomResourceColumnDefinition
        {
            Name = "Age",
            Type = "date",
            JsonPath = ".metadata.creationTimestamp",
            Description = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        },
    ];
}
