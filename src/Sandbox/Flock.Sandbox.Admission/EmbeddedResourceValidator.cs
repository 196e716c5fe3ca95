using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Checks of x-kubernetes-embedded-resource objects below the root (schemaobjectmeta.Validate): apiVersion and kind
/// must be present, be strings, and be well formed. (Embedded metadata is not validated here.)
/// </summary>
internal static partial class EmbeddedResourceValidator
{
    public static List<FieldError> Validate(StructuralSchema schema, JsonNode? node)
    {
        var errors = new List<FieldError>();
        Walk(schema, node, FieldPath.Root, isRoot: true, errors);
        return errors;
    }

    private static void Walk(StructuralSchema? s, JsonNode? node, FieldPath path, bool isRoot, List<FieldError> errors)
    {
        if (s is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                if (s.EmbeddedResource && !isRoot)
                {
                    Check(obj, path, errors);
                }

                foreach (var (key, value) in obj)
                {
                    if (s.Properties.TryGetValue(key, out var property))
                    {
                        Walk(property, value, path.Child(key), isRoot: false, errors);
                    }
                    else if (s.AdditionalProperties is { } values)
                    {
                        Walk(values, value, path.Key(key), isRoot: false, errors);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(s.Items, array[i], path.Index(i), isRoot: false, errors);
                }

                break;
        }
    }

    private static void Check(JsonObject obj, FieldPath path, List<FieldError> errors)
    {
        if (!obj.ContainsKey("apiVersion"))
        {
            errors.Add(FieldError.Required(path.Child("apiVersion").ToString(), "must not be empty"));
        }

        if (!obj.ContainsKey("kind"))
        {
            errors.Add(FieldError.Required(path.Child("kind").ToString(), "must not be empty"));
        }

        foreach (var (key, value) in obj)
        {
            if (key is not ("apiVersion" or "kind"))
            {
                continue;
            }

            var field = path.Child(key).ToString();
            if (JsonValues.AsString(value) is not { } text)
            {
                errors.Add(FieldError.Invalid(field, value?.DeepClone(), "must be a string"));
            }
            else if (text.Length == 0)
            {
                errors.Add(FieldError.Invalid(field, JsonValue.Create(text), "must not be empty"));
            }
            else if (key == "apiVersion" && text.Count(c => c == '/') > 1)
            {
                errors.Add(FieldError.Invalid(field, JsonValue.Create(text), $"unexpected GroupVersion string: {text}"));
            }
            else if (key == "kind" && Dns1035Problems(text.ToLowerInvariant()) is { Count: > 0 } problems)
            {
                errors.Add(FieldError.Invalid(field, JsonValue.Create(text), "may have mixed case, but should otherwise match: " + string.Join(",", problems)));
            }
        }
    }

    /// <summary>utilvalidation.IsDNS1035Label.</summary>
    private static List<string> Dns1035Problems(string value)
    {
        var problems = new List<string>();
        if (value.Length > 63)
        {
            problems.Add("must be no more than 63 characters");
        }

        if (!Dns1035().IsMatch(value))
        {
            problems.Add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
        }

        return problems;
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035();
}
