using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The paths and operations the apiserver publishes for a resource. kubectl needs them: explain
/// finds a resource's GVK through the x-kubernetes-group-version-kind of its operations, and the
/// field-validation verifier looks for the <c>fieldValidation</c> query parameter on PATCH (without
/// it kubectl falls back to client-side validation against the protobuf OpenAPI v2).
/// </summary>
internal static class OpenApiPaths
{
    private static readonly (string Name, string Description)[] ListParameters =
    [
        ("allowWatchBookmarks", "allowWatchBookmarks requests watch events with type \"BOOKMARK\"."),
        ("continue", "The continue option should be set when retrieving more results from the server."),
        ("fieldSelector", "A selector to restrict the list of returned objects by their fields. Defaults to everything."),
        ("labelSelector", "A selector to restrict the list of returned objects by their labels. Defaults to everything."),
        ("limit", "limit is a maximum number of responses to return for a list call."),
        ("resourceVersion", "resourceVersion sets a constraint on what resource versions a request may be served from."),
        ("resourceVersionMatch", "resourceVersionMatch determines how resourceVersion is applied to list calls."),
        ("sendInitialEvents", "`sendInitialEvents=true` may be set together with `watch=true`."),
        ("timeoutSeconds", "Timeout for the list/watch call."),
        ("watch", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."),
    ];

    private const string DryRun = "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed";
    private const string FieldManager = "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.";
    private const string FieldValidation = "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.";
    private const string Force = "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.";

    /// <summary>Adds the resource's paths to <paramref name="paths"/>.</summary>
    public static void Add(JsonObject paths, ApiResource r, bool v3)
    {
        var prefix = r.Group.Length == 0 ? $"/api/{r.Version}" : $"/apis/{r.Group}/{r.Version}";
        var collection = r.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{r.Plural}" : $"{prefix}/{r.Plural}";
        var kindRef = ModelNames.Definition(r.Group, r.Version, r.Kind);
        var listRef = ModelNames.Definition(r.Group, r.Version, r.ListKindName);
        var op = new OperationNames(r);
        var gvk = new JsonObject { ["group"] = r.Group, ["kind"] = r.Kind, ["version"] = r.Version };
        var has = r.Verbs.ToHashSet(StringComparer.Ordinal);
        var scoped = r.Namespaced ? "Namespaced" : "";

        var collectionItem = PathItem(r.Namespaced, named: false, v3);
        if (has.Contains("list"))
        {
            collectionItem["get"] = Operation(v3, $"list or watch objects of kind {r.Kind}", $"list{op.Prefix}{scoped}{r.Kind}", "list", gvk,
                ListParameters.Select(p => Query(p.Name, p.Description, v3)), null, listRef);
        }

        if (has.Contains("create"))
        {
            collectionItem["post"] = Operation(v3, $"create {Article(r.Kind)}", $"create{op.Prefix}{scoped}{r.Kind}", "post", gvk,
                WriteParameters(v3, patch: false), kindRef, kindRef);
        }

        if (has.Contains("deletecollection"))
        {
            collectionItem["delete"] = Operation(v3, $"delete collection of {r.Kind}", $"deletecollection{op.Prefix}{scoped}{r.Kind}", "deletecollection", gvk,
                ListParameters.Select(p => Query(p.Name, p.Description, v3)).Append(Query("dryRun", DryRun, v3)), ModelNames.DeleteOptions, ModelNames.Status);
        }

        if (collectionItem.Count > 1)
        {
            paths[collection] = collectionItem;
        }

        var item = PathItem(r.Namespaced, named: true, v3);
        if (has.Contains("get"))
        {
            item["get"] = Operation(v3, $"read the specified {r.Kind}", $"read{op.Prefix}{scoped}{r.Kind}", "get", gvk, [], null, kindRef);
        }

        if (has.Contains("update"))
        {
            item["put"] = Operation(v3, $"replace the specified {r.Kind}", $"replace{op.Prefix}{scoped}{r.Kind}", "put", gvk,
                WriteParameters(v3, patch: false), kindRef, kindRef);
        }

        if (has.Contains("patch"))
        {
            item["patch"] = Operation(v3, $"partially update the specified {r.Kind}", $"patch{op.Prefix}{scoped}{r.Kind}", "patch", gvk,
                WriteParameters(v3, patch: true), ModelNames.Patch, kindRef);
        }

        if (has.Contains("delete"))
        {
            item["delete"] = Operation(v3, $"delete {Article(r.Kind)}", $"delete{op.Prefix}{scoped}{r.Kind}", "delete", gvk,
                [Query("dryRun", DryRun, v3), Query("gracePeriodSeconds", "The duration in seconds before the object should be deleted.", v3),
                 Query("propagationPolicy", "Whether and how garbage collection will be performed.", v3)],
                ModelNames.DeleteOptions, ModelNames.Status);
        }

        if (item.Count > 1)
        {
            paths[$"{collection}/{{name}}"] = item;
        }

        if (r.Namespaced && has.Contains("list"))
        {
            var all = new JsonObject
            {
                ["get"] = Operation(v3, $"list or watch objects of kind {r.Kind}", $"list{op.Prefix}{r.Kind}ForAllNamespaces", "list", gvk,
                    ListParameters.Select(p => Query(p.Name, p.Description, v3)), null, listRef),
            };
            paths[$"{prefix}/{r.Plural}"] = all;
        }

        foreach (var sub in Subresources.Of(r))
        {
            var subGvk = new JsonObject { ["group"] = sub.Group, ["kind"] = sub.Kind, ["version"] = sub.Version };
            var subRef = ModelNames.Definition(sub.Group, sub.Version, sub.Kind);
            var suffix = char.ToUpperInvariant(sub.Name[0]) + sub.Name[1..];
            var subItem = PathItem(r.Namespaced, named: true, v3);
            var subVerbs = sub.Verbs.ToHashSet(StringComparer.Ordinal);
            if (sub.Name == "log")
            {
                subItem["get"] = Operation(v3, $"read log of the specified {r.Kind}", $"read{op.Prefix}{scoped}{r.Kind}Log", "get", subGvk,
                    [Query("container", "The container for which to stream logs.", v3), Query("follow", "Follow the log stream of the pod.", v3),
                     Query("previous", "Return previous terminated container logs.", v3), Query("sinceSeconds", "A relative time in seconds.", v3),
                     Query("tailLines", "The number of lines from the end of the logs to show.", v3), Query("timestamps", "Add an RFC3339 timestamp to every line.", v3)],
                    null, null);
            }
            else
            {
                if (subVerbs.Contains("get"))
                {
                    subItem["get"] = Operation(v3, $"read {sub.Name} of the specified {r.Kind}", $"read{op.Prefix}{scoped}{r.Kind}{suffix}", "get", subGvk, [], null, subRef);
                }

                if (subVerbs.Contains("update"))
                {
                    subItem["put"] = Operation(v3, $"replace {sub.Name} of the specified {r.Kind}", $"replace{op.Prefix}{scoped}{r.Kind}{suffix}", "put", subGvk,
                        WriteParameters(v3, patch: false), subRef, subRef);
                }

                if (subVerbs.Contains("patch"))
                {
                    subItem["patch"] = Operation(v3, $"partially update {sub.Name} of the specified {r.Kind}", $"patch{op.Prefix}{scoped}{r.Kind}{suffix}", "patch", subGvk,
                        WriteParameters(v3, patch: true), ModelNames.Patch, subRef);
                }
            }

            if (subItem.Count > 1)
            {
                paths[$"{collection}/{{name}}/{sub.Name}"] = subItem;
            }
        }
    }

    private static string Article(string kind) => "aeiouAEIOU".Contains(kind[0], StringComparison.Ordinal) ? $"an {kind}" : $"a {kind}";

    private static IEnumerable<JsonObject> WriteParameters(bool v3, bool patch)
    {
        yield return Query("dryRun", DryRun, v3);
        yield return Query("fieldManager", FieldManager, v3);
        yield return Query("fieldValidation", FieldValidation, v3);
        if (patch)
        {
            yield return Query("force", Force, v3, "boolean");
        }
    }

    private static JsonObject PathItem(bool namespaced, bool named, bool v3)
    {
        var parameters = new JsonArray();
        if (named)
        {
            parameters.Add(PathParameter("name", "name of the resource", v3));
        }

        if (namespaced)
        {
            parameters.Add(PathParameter("namespace", "object name and auth scope, such as for teams and projects", v3));
        }

        parameters.Add(Query("pretty", "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).", v3));
        return new JsonObject { ["parameters"] = parameters };
    }

    private static JsonObject PathParameter(string name, string description, bool v3) => v3
        ? new JsonObject { ["name"] = name, ["in"] = "path", ["description"] = description, ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }
        : new JsonObject { ["uniqueItems"] = true, ["type"] = "string", ["description"] = description, ["name"] = name, ["in"] = "path", ["required"] = true };

    private static JsonObject Query(string name, string description, bool v3, string type = "string") => v3
        ? new JsonObject { ["name"] = name, ["in"] = "query", ["description"] = description, ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true } }
        : new JsonObject { ["uniqueItems"] = true, ["type"] = type, ["description"] = description, ["name"] = name, ["in"] = "query" };

    private static JsonObject Operation(bool v3, string description, string operationId, string action, JsonObject gvk,
        IEnumerable<JsonObject> parameters, string? requestRef, string? responseRef)
    {
        var operation = new JsonObject
        {
            ["description"] = description,
            ["operationId"] = operationId,
        };
        var parameterList = new JsonArray(parameters.Select(p => (JsonNode)p).ToArray());
        if (!v3 && requestRef is not null)
        {
            parameterList.Insert(0, new JsonObject
            {
                ["name"] = "body",
                ["in"] = "body",
                ["required"] = action is "post" or "put" or "patch",
                ["schema"] = new JsonObject { ["$ref"] = "#/definitions/" + requestRef },
            });
        }

        if (parameterList.Count > 0)
        {
            operation["parameters"] = parameterList;
        }

        if (v3 && requestRef is not null)
        {
            var types = action == "patch"
                ? new[] { "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json" }
                : ["*/*"];
            var content = new JsonObject();
            foreach (var type in types)
            {
                content[type] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/" + requestRef } };
            }

            operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = action is "post" or "put" or "patch" };
        }

        var ok = new JsonObject { ["description"] = "OK" };
        if (responseRef is not null)
        {
            if (v3)
            {
                var content = new JsonObject();
                foreach (var type in new[] { "application/json", "application/yaml" })
                {
                    content[type] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/" + responseRef } };
                }

                ok["content"] = content;
            }
            else
            {
                ok["schema"] = new JsonObject { ["$ref"] = "#/definitions/" + responseRef };
            }
        }

        operation["responses"] = new JsonObject { ["200"] = ok, ["401"] = new JsonObject { ["description"] = "Unauthorized" } };
        operation["x-kubernetes-action"] = action;
        operation["x-kubernetes-group-version-kind"] = gvk.DeepClone();
        return operation;
    }

    private sealed class OperationNames(ApiResource r)
    {
        /// <summary>CoreV1, AppsV1, FlockIoV1alpha1, RbacAuthorizationV1.</summary>
        public string Prefix { get; } = GroupWord(r.Group) + char.ToUpperInvariant(r.Version[0]) + r.Version[1..];

        private static string GroupWord(string group)
        {
            if (group.Length == 0)
            {
                return "Core";
            }

            var trimmed = group.EndsWith(".k8s.io", StringComparison.Ordinal) ? group[..^".k8s.io".Length] : group;
            return string.Concat(trimmed.Split('.', '-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        }
    }
}
