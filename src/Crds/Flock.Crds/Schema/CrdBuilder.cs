using System.Reflection;
using k8s.Models;

namespace Flock.Crds.Schema;

/// <summary>Builds the CustomResourceDefinition of a resource type marked with <see cref="CustomResourceAttribute"/>.</summary>
public sealed class CrdBuilder(XmlDocumentation docs)
{
    private readonly SchemaBuilder _schemas = new(docs);

    public static CrdBuilder ForApiAssembly() => new(XmlDocumentation.For(typeof(CrdBuilder).Assembly));

    public V1CustomResourceDefinition Build(Type resourceType)
    {
        var resource = resourceType.GetCustomAttribute<CustomResourceAttribute>()
            ?? throw new ArgumentException($"{resourceType.Name} has no [CustomResource]", nameof(resourceType));
        var singular = resource.Kind.ToLowerInvariant();

        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta
            {
                Name = $"{resource.Plural}.{resource.Group}",
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "flock-operator" },
            },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = resource.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = resource.Kind,
                    ListKind = resource.Kind + "List",
                    Plural = resource.Plural,
                    Singular = singular,
                    ShortNames = resource.ShortNames.Length > 0 ? resource.ShortNames.ToList() : null,
                    Categories = resource.Categories.Length > 0 ? resource.Categories.ToList() : null,
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = resource.Version,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = _schemas.ForType(resourceType) },
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        AdditionalPrinterColumns = PrinterColumns(resourceType),
                    },
                ],
            },
        };
    }

    private static List<V1CustomResourceColumnDefinition> PrinterColumns(Type resourceType) =>
        resourceType.GetCustomAttributes<PrinterColumnAttribute>()
            .OrderBy(c => c.Order)
            .Select(c => new V1CustomResourceColumnDefinition
            {
                Name = c.Name,
                Type = c.Type,
                JsonPath = c.JsonPath,
                Description = c.Description,
                Priority = c.Priority == 0 ? null : c.Priority,
            })
            .ToList();
}
