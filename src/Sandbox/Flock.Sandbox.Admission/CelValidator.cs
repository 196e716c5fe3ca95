using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Evaluates x-kubernetes-validations over an object, node by node, as the apiserver's CEL validator does:
/// self is the node, oldSelf the correlated old node (transition rules run only when there is one, unless
/// optionalOldSelf), null nodes are skipped, and a failing rule reports at the node's path (plus its fieldPath)
/// with the schema type as the bad value.
/// </summary>
internal sealed class CelValidator
{
    private readonly bool _ratchet;
    private readonly List<FieldError> _errors = [];
    private readonly List<string> _warnings = [];

    private CelValidator(bool ratchet) => _ratchet = ratchet;

    public static ValidationResult Validate(StructuralSchema schema, JsonObject obj, JsonObject? oldObj, bool ratchet)
    {
        var validator = new CelValidator(ratchet);
        validator.Walk(schema, obj, FieldPath.Root, oldObj is null ? null : new OldValue(oldObj), isResourceRoot: true);
        return new ValidationResult(validator._errors, validator._warnings);
    }

    private void Walk(StructuralSchema s, JsonNode? data, FieldPath path, OldValue? old, bool isResourceRoot)
    {
        // Rules only see non-null values of the declared type; a mistyped node has its own schema error.
        if (data is null || !SchemaTypes.Matches(s, data))
        {
            return;
        }

        Rules(s, data, path, old, isResourceRoot);
        switch (data)
        {
            case JsonObject obj when s.AdditionalProperties is { } values:
                foreach (var (key, value) in obj)
                {
                    if (!s.Properties.ContainsKey(key))
                    {
                        Walk(values, value, path.Key(key), old?.Field(key), isResourceRoot: false);
                    }
                }

                WalkProperties(s, obj, path, old);
                break;
            case JsonObject obj:
                WalkProperties(s, obj, path, old);
                break;
            case JsonArray array when s.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(items, array[i], path.Index(i), old?.Item(s, array[i]), isResourceRoot: false);
                }

                break;
        }
    }

    private void WalkProperties(StructuralSchema s, JsonObject obj, FieldPath path, OldValue? old)
    {
        foreach (var (name, property) in s.Properties)
        {
            if (obj.TryGetPropertyValue(name, out var value))
            {
                Walk(property, value, path.Child(name), old?.Field(name), isResourceRoot: false);
            }
        }
    }

    private void Rules(StructuralSchema s, JsonNode data, FieldPath path, OldValue? old, bool isResourceRoot)
    {
        if (s.Rules.Count == 0)
        {
            return;
        }

        var self = CelValueConverter.ToCel(data, s, isResourceRoot);
        var oldSelf = old is null ? null : CelValueConverter.ToCel(old.Value, s, isResourceRoot);
        var typeName = JsonValue.Create(s.Type ?? string.Empty);
        foreach (var rule in s.Rules)
        {
            if (rule.UsesOldSelf && old is null && !rule.OptionalOldSelf)
            {
                continue;
            }

            var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = self };
            if (rule.UsesOldSelf)
            {
                variables["oldSelf"] = rule.OptionalOldSelf ? new CelOptional(old is not null, oldSelf) : oldSelf;
            }

            object? result;
            try
            {
                result = rule.Evaluate(variables);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _errors.Add(FieldError.Invalid(path.ToString(), typeName, CelErrors.EvaluationDetail(e, rule)));
                continue;
            }

            if (result is true)
            {
                continue;
            }

            if (result is not bool)
            {
                // The Cel package yields null or a marker where cel-go fails on a missing key; anything else is a wrong type.
                var detail = result is null || CelErrors.IsNoSuchFieldMarker(result)
                    ? $"{(result is null ? "no such key" : CelErrors.NoSuchFieldResult(result))} evaluating rule: {rule.ErrorString}"
                    : $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule.ErrorString}";
                _errors.Add(FieldError.Invalid(path.ToString(), typeName, detail));
                continue;
            }

            var error = Failure(rule, path, typeName, variables);
            // Ratcheting: a rule without oldSelf that fails on an unchanged node only warns.
            if (_ratchet && !rule.UsesOldSelf && old is not null && JsonValues.DeepEquals(old.Value, data))
            {
                _warnings.Add(error.ToString());
            }
            else
            {
                _errors.Add(error);
            }
        }
    }

    private static FieldError Failure(CelRule rule, FieldPath path, JsonNode typeName, Dictionary<string, object?> variables)
    {
        var field = (rule.FieldPath is null ? path : path.Child(rule.FieldPath)).ToString();
        var detail = Message(rule, variables);
        return rule.Reason switch
        {
            "FieldValueForbidden" => FieldError.Forbidden(field, detail),
            "FieldValueRequired" => FieldError.Required(field, detail),
            // The apiserver's Duplicate error carries the schema type and drops the message.
            "FieldValueDuplicate" => FieldError.Duplicate(field, typeName.DeepClone()),
            _ => FieldError.Invalid(field, typeName.DeepClone(), detail),
        };
    }

    /// <summary>messageExpression when it yields a non-blank single-line string; otherwise the message (or "failed rule: ...").</summary>
    private static string Message(CelRule rule, Dictionary<string, object?> variables)
    {
        if (rule.MessageProgram is { } program)
        {
            try
            {
                if (program(variables) is string text && text.Trim() is { Length: > 0 } trimmed && trimmed.IndexOfAny(['\n', '\r']) < 0)
                {
                    return trimmed;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The apiserver logs a failing messageExpression and falls back to the message.
            }
        }

        return rule.MessageOrDefault;
    }
}
