using System.Text.Json.Nodes;
using k8s;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// A custom resource's published OpenAPI definitions, as the apiextensions-apiserver's openapi
/// builder makes them from the CRD's structural schema: metadata as a reference to ObjectMeta,
/// apiVersion/kind described, x-kubernetes-group-version-kind on the kind and its List.
/// </summary>
public static class CrdSchemas
{
    public const string ApiVersionDescription = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
    public const string KindDescription = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
    public const string MetadataDescription = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    public const string ListMetadataDescription = "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#lists-and-watches";

    /// <summary>
    /// The kind's and the list's definitions (names from <see cref="ModelNames.Definition"/>), with
    /// refs as <c>#/definitions/…</c> (<paramref name="v3"/> false: the v2 document, with the schema
    /// pruned of what OpenAPI v2 cannot say) or <c>#/components/schemas/…</c> (v3).
    /// </summary>
    public static IReadOnlyList<(string Name, JsonObject Schema)> For(ApiResource resource, bool v3)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var refPrefix = v3 ? "#/components/schemas/" : "#/definitions/";
        var schema = resource.Schema is null
            ? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true }
            : (JsonNode.Parse(KubernetesJson.Serialize(resource.Schema)) as JsonObject ?? new JsonObject());
        if (!v3)
        {
            PruneForV2(schema);
        }

        var properties = schema["properties"] as JsonObject;
        if (properties is null)
        {
            properties = new JsonObject();
            schema["properties"] = properties;
        }

        // The builder replaces apiVersion and kind with TypeMeta's, whatever the CRD says.
        properties["apiVersion"] = new JsonObject { ["description"] = ApiVersionDescription, ["type"] = "string" };
        properties["kind"] = new JsonObject { ["description"] = KindDescription, ["type"] = "string" };

        properties["metadata"] = Reference(refPrefix + ModelNames.ObjectMeta, MetadataDescription, v3);
        schema["type"] = "object";
        schema["x-kubernetes-group-version-kind"] = ModelSchemas.Gvk(resource.Group, resource.Version, resource.Kind);

        var name = ModelNames.Definition(resource.Group, resource.Version, resource.Kind);
        var list = new JsonObject
        {
            ["description"] = $"{resource.ListKindName} is a list of {resource.Kind}",
            ["required"] = new JsonArray("items"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["description"] = ApiVersionDescription, ["type"] = "string" },
                ["items"] = new JsonObject
                {
                    ["description"] = $"List of {resource.Plural}. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md",
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["$ref"] = refPrefix + name },
                },
                ["kind"] = new JsonObject { ["description"] = KindDescription, ["type"] = "string" },
                ["metadata"] = Reference(refPrefix + ModelNames.ListMeta, ListMetadataDescription, v3),
            },
            ["type"] = "object",
            ["x-kubernetes-group-version-kind"] = ModelSchemas.Gvk(resource.Group, resource.Version, resource.ListKindName),
        };
        return [(name, schema), (ModelNames.Definition(resource.Group, resource.Version, resource.ListKindName), list)];
    }

    internal static JsonObject Reference(string reference, string description, bool v3) => v3
        ? new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = reference }), ["description"] = description }
        : new JsonObject { ["$ref"] = reference, ["description"] = description };

    /// <summary>
    /// What ToStructuralOpenAPIV2 drops: allOf/anyOf/oneOf/not; the type, items and properties of
    /// nullable and x-kubernetes-preserve-unknown-fields schemas; the type of arrays without items
    /// and of int-or-string fields; nullable fields from required.
    /// </summary>
    public static void PruneForV2(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        foreach (var key in new[] { "allOf", "anyOf", "oneOf", "not" })
        {
            schema.Remove(key);
        }

        if (schema["properties"] is JsonObject properties)
        {
            var nullable = properties.Where(p => p.Value?["nullable"]?.GetValue<bool>() == true).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            if (nullable.Count > 0 && schema["required"] is JsonArray required)
            {
                schema["required"] = new JsonArray(required.Where(r => !nullable.Contains(r?.GetValue<string>() ?? "")).Select(r => r?.DeepClone()).ToArray());
            }

            foreach (var (_, child) in properties)
            {
                if (child is JsonObject childSchema)
                {
                    PruneForV2(childSchema);
                }
            }
        }

        if (schema["items"] is JsonObject items)
        {
            PruneForV2(items);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            PruneForV2(additional);
        }

        if (schema["nullable"]?.GetValue<bool>() == true)
        {
            schema.Remove("type");
            schema.Remove("nullable");
            schema.Remove("items");
            schema.Remove("properties");
        }

        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
        {
            schema.Remove("items");
            schema.Remove("properties");
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            schema.Remove("type");
        }

        if (schema["type"]?.GetValue<string>() == "array" && schema["items"] is null)
        {
            schema.Remove("type");
        }
    }
}
