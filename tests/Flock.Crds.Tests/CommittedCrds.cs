using Flock.Sandbox.Admission;
using k8s;
using k8s.Models;

namespace Flock.Crds.Tests;

/// <summary>The CRDs as committed in config/crd/bases, and their compiled schemas, by kind.</summary>
internal static class CommittedCrds
{
    private static readonly Lazy<IReadOnlyDictionary<string, V1CustomResourceDefinition>> ByKind = new(Load);
    private static readonly Dictionary<string, StructuralSchema> Schemas = new();

    public static IReadOnlyDictionary<string, V1CustomResourceDefinition> All => ByKind.Value;

    public static V1CustomResourceDefinition For(string kind) => All[kind];

    public static StructuralSchema SchemaFor(string kind)
    {
        lock (Schemas)
        {
            if (!Schemas.TryGetValue(kind, out var schema))
            {
                schema = StructuralSchema.Compile(For(kind).Spec.Versions.Single().Schema.OpenAPIV3Schema);
                Schemas[kind] = schema;
            }

            return schema;
        }
    }

    private static IReadOnlyDictionary<string, V1CustomResourceDefinition> Load() =>
        Directory.GetFiles(RepositoryPaths.CrdBases, "*.yaml")
            .Select(path => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(path)))
            .ToDictionary(crd => crd.Spec.Names.Kind);
}
