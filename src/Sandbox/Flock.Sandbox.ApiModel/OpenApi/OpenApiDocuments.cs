using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The OpenAPI documents of one set of served resources: <c>/openapi/v2</c> (swagger 2.0, JSON),
/// the <c>/openapi/v3</c> index and one OpenAPI 3.0 document per group-version, each with a hash
/// (upper-case hex SHA-512 of its bytes, as kube-openapi computes ETags) that changes exactly when
/// its content does. Build once per resource set (rebuild when CRDs change); all members are cached.
/// </summary>
public sealed class OpenApiDocuments
{
    private readonly IReadOnlyList<ApiResource> _resources;
    private readonly string _kubernetesVersion;
    private readonly Lazy<ModelSchemas> _models;
    private readonly Lazy<JsonObject> _v2;
    private readonly Lazy<IReadOnlyDictionary<string, (JsonObject Document, byte[] Bytes, string Hash)>> _v3;

    public OpenApiDocuments(IEnumerable<ApiResource> resources, string kubernetesVersion = "v1.32.0")
    {
        _resources = resources.ToList();
        _kubernetesVersion = kubernetesVersion;
        _models = new(() => new ModelSchemas(_resources.Where(r => r.ModelType is not null).Concat(ExtraModels())));
        _v2 = new(BuildV2);
        _v3 = new(BuildV3);
    }

    /// <summary>The v3 index path of a group-version: <c>api/v1</c>, <c>apis/flock.io/v1alpha1</c>.</summary>
    public static string GroupVersionPath(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    /// <summary>The swagger 2.0 document (all definitions and paths).</summary>
    public JsonObject V2() => (JsonObject)_v2.Value.DeepClone();

    /// <summary>The swagger 2.0 document serialized.</summary>
    public string V2Json() => _v2.Value.ToJsonString();

    /// <summary><c>/openapi/v3</c>: <c>{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=…"}, …}}</c>.</summary>
    public JsonObject V3Index()
    {
        var paths = new JsonObject();
        foreach (var (path, entry) in _v3.Value.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={entry.Hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The index paths served (<c>api/v1</c>, <c>apis/apps/v1</c>…).</summary>
    public IReadOnlyCollection<string> V3Paths => _v3.Value.Keys.ToList();

    /// <summary>The document for one index path (without the <c>/openapi/v3/</c> prefix), or null.</summary>
    public JsonObject? V3(string path) =>
        _v3.Value.TryGetValue(path.Trim('/'), out var entry) ? (JsonObject)entry.Document.DeepClone() : null;

    /// <summary>The exact bytes to serve for one index path (the hash is over these), or null.</summary>
    public byte[]? V3Bytes(string path) => _v3.Value.TryGetValue(path.Trim('/'), out var entry) ? entry.Bytes : null;

    /// <summary>The hash of one index path's document, or null.</summary>
    public string? V3Hash(string path) => _v3.Value.TryGetValue(path.Trim('/'), out var entry) ? entry.Hash : null;

    /// <summary>Upper-case hex SHA-512, kube-openapi's ETag.</summary>
    public static string Hash(byte[] bytes) => Convert.ToHexString(SHA512.HashData(bytes));

    private IEnumerable<ApiResource> ExtraModels()
    {
        if (_resources.Any(r => r.OtherSubresources.Contains("scale")))
        {
            yield return new ApiResource
            {
                Group = "autoscaling",
                Version = "v1",
                Kind = "Scale",
                Plural = "scales",
                Singular = "scale",
                Namespaced = true,
                ModelType = typeof(k8s.Models.V1Scale),
            };
        }
    }

    private JsonObject Info() => new() { ["title"] = "Kubernetes", ["version"] = _kubernetesVersion };

    private JsonObject BuildV2()
    {
        var definitions = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (name, schema) in _models.Value.Definitions)
        {
            definitions[name] = schema.DeepClone();
        }

        foreach (var resource in _resources.Where(r => r.IsCustom))
        {
            foreach (var (name, schema) in CrdSchemas.For(resource, v3: false))
            {
                definitions[name] = schema;
            }
        }

        var paths = new JsonObject();
        foreach (var resource in Sorted(_resources))
        {
            OpenApiPaths.Add(paths, resource, v3: false);
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = Info(),
            ["paths"] = SortObject(paths),
            ["definitions"] = new JsonObject(definitions.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["securityDefinitions"] = new JsonObject
            {
                ["BearerToken"] = new JsonObject
                {
                    ["description"] = "Bearer Token authentication",
                    ["type"] = "apiKey",
                    ["name"] = "authorization",
                    ["in"] = "header",
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["BearerToken"] = new JsonArray() }),
        };
    }

    private IReadOnlyDictionary<string, (JsonObject, byte[], string)> BuildV3()
    {
        var all = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, schema) in _models.Value.Definitions)
        {
            all[name] = (JsonObject)ToV3(schema.DeepClone(), topLevel: true)!;
        }

        foreach (var resource in _resources.Where(r => r.IsCustom))
        {
            foreach (var (name, schema) in CrdSchemas.For(resource, v3: true))
            {
                all[name] = schema;
            }
        }

        var result = new Dictionary<string, (JsonObject, byte[], string)>(StringComparer.Ordinal);
        foreach (var gv in _resources.GroupBy(r => (r.Group, r.Version)))
        {
            var paths = new JsonObject();
            foreach (var resource in Sorted(gv))
            {
                OpenApiPaths.Add(paths, resource, v3: true);
            }

            var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
            var pending = new Stack<string>();
            foreach (var reference in References(paths))
            {
                pending.Push(reference);
            }

            foreach (var resource in gv)
            {
                pending.Push(ModelNames.Definition(resource.Group, resource.Version, resource.Kind));
                pending.Push(ModelNames.Definition(resource.Group, resource.Version, resource.ListKindName));
            }

            while (pending.Count > 0)
            {
                var name = pending.Pop();
                if (schemas.ContainsKey(name) || !all.TryGetValue(name, out var schema))
                {
                    continue;
                }

                schemas[name] = schema.DeepClone();
                foreach (var reference in References(schema))
                {
                    pending.Push(reference);
                }
            }

            var document = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = Info(),
                ["paths"] = SortObject(paths),
                ["components"] = new JsonObject
                {
                    ["schemas"] = new JsonObject(schemas.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                    ["securitySchemes"] = new JsonObject
                    {
                        ["BearerToken"] = new JsonObject
                        {
                            ["type"] = "apiKey",
                            ["description"] = "Bearer Token authentication",
                            ["name"] = "authorization",
                            ["in"] = "header",
                        },
                    },
                },
            };
            var bytes = Encoding.UTF8.GetBytes(document.ToJsonString());
            result[GroupVersionPath(gv.Key.Group, gv.Key.Version)] = (document, bytes, Hash(bytes));
        }

        return result;
    }

    private static IEnumerable<ApiResource> Sorted(IEnumerable<ApiResource> resources) =>
        resources.OrderBy(r => r.Group, StringComparer.Ordinal).ThenBy(r => r.Version, StringComparer.Ordinal).ThenBy(r => r.Plural, StringComparer.Ordinal);

    private static JsonObject SortObject(JsonObject obj)
    {
        var sorted = obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())).ToList();
        return new JsonObject(sorted);
    }

    /// <summary>Rewrites v2 refs to components/schemas; a ref with siblings (a described property) becomes allOf: [ref].</summary>
    private static JsonNode? ToV3(JsonNode? node, bool topLevel = false)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue refValue && refValue.TryGetValue<string>(out var reference))
                {
                    var target = reference.Replace("#/definitions/", "#/components/schemas/", StringComparison.Ordinal);
                    if (obj.Count == 1 || topLevel)
                    {
                        obj["$ref"] = target;
                        return obj;
                    }

                    obj.Remove("$ref");
                    obj["allOf"] = new JsonArray(new JsonObject { ["$ref"] = target });
                }

                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var converted = ToV3(obj[key]);
                    if (!ReferenceEquals(converted, obj[key]))
                    {
                        obj[key] = converted;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    ToV3(array[i]);
                }

                return array;
            default:
                return node;
        }
    }

    private static IEnumerable<string> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value is JsonValue v && v.TryGetValue<string>(out var reference))
                    {
                        yield return reference[(reference.LastIndexOf('/') + 1)..];
                    }
                    else
                    {
                        foreach (var nested in References(value))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var nested in References(item))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }
}
