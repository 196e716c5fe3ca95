using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flock.Sandbox.ApiModel;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>
/// ValidateObjectMeta's checks that operators most often trip over (labels, annotations, ownerReferences)
/// and the immutability rules of the built-in kinds the operator writes, with the apiserver's messages.
/// </summary>
internal static partial class MetaValidation
{
    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private const string NamePartMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    /// <summary>Errors of metadata (labels, annotations, ownerReferences), field paths as the apiserver writes them.</summary>
    public static List<(string Field, string Type, string Message)> Validate(JsonObject obj)
    {
        var errors = new List<(string, string, string)>();
        var meta = obj["metadata"] as JsonObject;
        if (meta is null) return errors;
        if (meta["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                QualifiedName(key, "metadata.labels", errors);
                var v = value is JsonValue jv ? Json.ScalarText(jv) ?? "" : "";
                if (v.Length > 63) errors.Add(("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{v}\": must be no more than 63 characters"));
                if (v.Length > 0 && !QualifiedNamePart().IsMatch(v)) errors.Add(("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{v}\": {LabelValueMessage}"));
            }
        }

        if (meta["annotations"] is JsonObject annotations)
        {
            long total = 0;
            foreach (var (key, value) in annotations)
            {
                QualifiedName(key.ToLowerInvariant(), "metadata.annotations", errors);
                total += key.Length + (value is JsonValue jv ? (Json.ScalarText(jv) ?? "").Length : 0);
            }

            if (total > 256 * 1024)
            {
                errors.Add(("metadata.annotations", "FieldValueTooLong", $"Too long: may not be more than {256 * 1024} bytes"));
            }
        }

        if (meta["ownerReferences"] is JsonArray refs)
        {
            var controllers = 0;
            for (var i = 0; i < refs.Count; i++)
            {
                var r = refs[i] as JsonObject;
                var apiVersion = Json.Str(r, "apiVersion") ?? "";
                if (apiVersion.Length == 0) errors.Add(("metadata.ownerReferences.apiVersion", "FieldValueInvalid", "Invalid value: \"\": version must not be empty"));
                if (string.IsNullOrEmpty(Json.Str(r, "kind"))) errors.Add(("metadata.ownerReferences.kind", "FieldValueInvalid", "Invalid value: \"\": kind must not be empty"));
                if (string.IsNullOrEmpty(Json.Str(r, "name"))) errors.Add(("metadata.ownerReferences.name", "FieldValueInvalid", "Invalid value: \"\": name must not be empty"));
                if (string.IsNullOrEmpty(Json.Str(r, "uid"))) errors.Add(("metadata.ownerReferences.uid", "FieldValueInvalid", "Invalid value: \"\": uid must not be empty"));
                if (r?["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController) controllers++;
            }

            if (controllers > 1)
            {
                errors.Add(("metadata.ownerReferences", "FieldValueInvalid", "Invalid value: \"\": Only one reference can have Controller set to true"));
            }
        }

        return errors;
    }

    private static void QualifiedName(string key, string field, List<(string, string, string)> errors)
    {
        var parts = key.Split('/');
        string name;
        if (parts.Length == 2)
        {
            var prefix = parts[0];
            name = parts[1];
            if (prefix.Length == 0)
            {
                errors.Add((field, "FieldValueInvalid", $"Invalid value: \"{key}\": prefix part must be non-empty"));
            }
            else if (prefix.Length > 253 || !Subdomain().IsMatch(prefix))
            {
                errors.Add((field, "FieldValueInvalid",
                    $"Invalid value: \"{key}\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
            }
        }
        else if (parts.Length == 1)
        {
            name = parts[0];
        }
        else
        {
            errors.Add((field, "FieldValueInvalid",
                $"Invalid value: \"{key}\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
            return;
        }

        if (name.Length == 0) errors.Add((field, "FieldValueInvalid", $"Invalid value: \"{key}\": name part must be non-empty"));
        else if (name.Length > 63) errors.Add((field, "FieldValueInvalid", $"Invalid value: \"{key}\": name part must be no more than 63 characters"));
        else if (!QualifiedNamePart().IsMatch(name)) errors.Add((field, "FieldValueInvalid", $"Invalid value: \"{key}\": {NamePartMessage}"));
    }

    /// <summary>Immutable fields of built-in kinds on update.</summary>
    public static List<(string Field, string Type, string Message)> ValidateUpdate(ApiResource r, JsonObject next, JsonObject current)
    {
        var errors = new List<(string, string, string)>();
        switch (r.Kind)
        {
            case "Secret" or "ConfigMap":
                if (current["immutable"] is JsonValue im && im.TryGetValue<bool>(out var immutable) && immutable)
                {
                    if (!JsonNode.DeepEquals(current["data"], next["data"]) || !JsonNode.DeepEquals(current["binaryData"], next["binaryData"]))
                    {
                        errors.Add((r.Kind == "Secret" ? "data" : "data", "FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set"));
                    }

                    if (!JsonNode.DeepEquals(current["immutable"], next["immutable"]))
                    {
                        errors.Add(("immutable", "FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set"));
                    }
                }

                if (r.Kind == "Secret" && Json.Str(current, "type") != Json.Str(next, "type"))
                {
                    errors.Add(("type", "FieldValueInvalid", $"Invalid value: \"{Json.Str(next, "type")}\": field is immutable"));
                }

                break;
            case "Deployment" or "ReplicaSet":
                if (!JsonNode.DeepEquals(current["spec"]?["selector"], next["spec"]?["selector"]))
                {
                    errors.Add(("spec.selector", "FieldValueInvalid", $"Invalid value: {Describe(next["spec"]?["selector"])}: field is immutable"));
                }

                break;
            case "Job":
                if (!JsonNode.DeepEquals(current["spec"]?["selector"], next["spec"]?["selector"]))
                {
                    errors.Add(("spec.selector", "FieldValueInvalid", $"Invalid value: {Describe(next["spec"]?["selector"])}: field is immutable"));
                }

                if (!JsonNode.DeepEquals(current["spec"]?["template"], next["spec"]?["template"]))
                {
                    errors.Add(("spec.template", "FieldValueInvalid", "Invalid value: core.PodTemplateSpec{...}: field is immutable"));
                }

                break;
            case "Service":
                var oldIp = Json.Path(current, "spec", "clusterIP");
                var newIp = Json.Path(next, "spec", "clusterIP");
                if (!string.IsNullOrEmpty(oldIp) && !string.IsNullOrEmpty(newIp) && oldIp != newIp)
                {
                    errors.Add(("spec.clusterIPs[0]", "FieldValueInvalid", $"Invalid value: []string{{\"{newIp}\"}}: may not change once set"));
                }

                break;
            case "Pod":
                if (PodSpecChangedBeyondMutable(current["spec"] as JsonObject, next["spec"] as JsonObject))
                {
                    errors.Add(("spec", "FieldValueForbidden",
                        "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
                }

                break;
            case "PersistentVolumeClaim":
                {
                    var a = (current["spec"] as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject();
                    var b = (next["spec"] as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject();
                    a.Remove("resources");
                    b.Remove("resources");
                    a.Remove("volumeName");
                    b.Remove("volumeName");
                    if (!JsonNode.DeepEquals(a, b))
                    {
                        errors.Add(("spec", "FieldValueForbidden", "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
                    }

                    break;
                }
        }

        return errors;
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    private static bool PodSpecChangedBeyondMutable(JsonObject? current, JsonObject? next)
    {
        if (current is null || next is null) return !JsonNode.DeepEquals(current, next);
        var a = (JsonObject)current.DeepClone();
        var b = (JsonObject)next.DeepClone();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (a[list] is JsonArray ca && b[list] is JsonArray cb && ca.Count == cb.Count)
            {
                for (var i = 0; i < ca.Count; i++)
                {
                    if (ca[i] is JsonObject x && cb[i] is JsonObject y)
                    {
                        x.Remove("image");
                        y.Remove("image");
                    }
                }
            }
        }

        a.Remove("activeDeadlineSeconds");
        b.Remove("activeDeadlineSeconds");
        a.Remove("terminationGracePeriodSeconds");
        b.Remove("terminationGracePeriodSeconds");
        // Tolerations may only be added to.
        var oldTolerations = a["tolerations"] as JsonArray ?? [];
        var newTolerations = b["tolerations"] as JsonArray ?? [];
        if (!oldTolerations.All(t => newTolerations.Any(n => JsonNode.DeepEquals(t, n)))) return true;
        a.Remove("tolerations");
        b.Remove("tolerations");
        return !JsonNode.DeepEquals(a, b);
    }
}
