using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// The OpenAPI part of custom resource validation, reproducing kube-openapi's validator (and the apiserver's
/// conversion of its results into field errors): the same checks, in the same order, with the same words.
/// </summary>
/// <remarks>
/// Per node kube-openapi runs, in order: type, allOf/anyOf/oneOf/not, string (maxLength, minLength, pattern; first
/// failure only), format, number (multipleOf, minimum, maximum), array (items, minItems, maxItems), enum, object
/// (min/maxProperties stop the walk, then map values, properties, required). Paths use "." for fields and map keys
/// and "[i]" for items. On update with ratcheting, a subtree equal to its old counterpart reports nothing.
/// </remarks>
internal sealed class OpenApiValidator
{
    private readonly bool _ratchet;

    private OpenApiValidator(bool ratchet) => _ratchet = ratchet;

    public static List<FieldError> Validate(StructuralSchema schema, JsonObject obj, JsonObject? oldObj, bool ratchet) =>
        new OpenApiValidator(ratchet).Node(schema, obj, string.Empty, oldObj is null ? null : new OldValue(oldObj));

    private List<FieldError> Node(StructuralSchema s, JsonNode? data, string path, OldValue? old)
    {
        var errors = new List<FieldError>();
        if (_ratchet && old is not null && JsonValues.DeepEquals(old.Value, data))
        {
            return errors;
        }

        if (data is null)
        {
            // kube-openapi only runs the type and enum validators on null.
            TypeCheck(s, data, path, errors);
            Enum(s, data, path, errors);
            return errors;
        }

        var kind = JsonValues.KindOf(data);
        TypeCheck(s, data, path, errors);
        Junctors(s, data, path, old, errors);
        if (kind == JsonKind.String)
        {
            StringChecks(s, JsonValues.AsString(data)!, data, path, errors);
            Format(s, JsonValues.AsString(data)!, data, path, errors);
        }

        if (kind is JsonKind.Integer or JsonKind.Float)
        {
            SchemaNumbers.Check(s.Validations, data, path, errors);
        }

        if (data is JsonArray array)
        {
            Array(s, array, path, old, errors);
        }

        Enum(s, data, path, errors);
        if (data is JsonObject obj)
        {
            Object(s, obj, path, old, errors);
        }

        return errors;
    }

    /// <summary>kube-openapi's typeValidator, including its handling of "format" on numbers.</summary>
    private static void TypeCheck(StructuralSchema s, JsonNode? data, string path, List<FieldError> errors)
    {
        var types = s.IntOrString ? new[] { "integer", "string" } : s.Type is null ? [] : new[] { s.Type };
        if (types.Length == 0)
        {
            return;
        }

        if (data is null)
        {
            if (!s.Nullable)
            {
                errors.Add(InvalidType(path, string.Join(",", types), "null"));
            }

            return;
        }

        var kind = JsonValues.KindOf(data);
        var schType = JsonValues.TypeName(data);
        var dataFormat = kind switch { JsonKind.Integer => "int64", JsonKind.Float => "double", _ => string.Empty };
        var format = s.Validations.Format ?? string.Empty;
        var isFloatInt = kind == JsonKind.Float && IsJsonInteger(JsonValues.AsDouble(data)) && types.Contains("integer");
        var isIntFloat = kind == JsonKind.Integer && types.Contains("number");
        var stringOrSlice = kind is JsonKind.String or JsonKind.Array;
        if (!stringOrSlice && format.Length > 0 && !(types.Contains(schType) || dataFormat == format || isFloatInt || isIntFloat))
        {
            errors.Add(InvalidType(path, format, dataFormat));
            return;
        }

        if (!(types.Contains("number") || types.Contains("integer")) && format.Length > 0 && stringOrSlice)
        {
            return;
        }

        if (!(types.Contains(schType) || isFloatInt || isIntFloat))
        {
            errors.Add(InvalidType(path, string.Join(",", types), schType));
        }
    }

    private void Junctors(StructuralSchema s, JsonNode data, string path, OldValue? old, List<FieldError> errors)
    {
        var v = s.Validations;
        if (v.AllOf.Count > 0)
        {
            var failed = 0;
            foreach (var sub in v.AllOf)
            {
                var result = Node(sub, data, path, old);
                failed += result.Count > 0 ? 1 : 0;
                errors.AddRange(result);
            }

            if (failed > 0)
            {
                errors.Add(Composite(path, "must validate all the schemas (allOf)" + (failed == v.AllOf.Count ? ". None validated" : string.Empty)));
            }
        }

        if (v.OneOf.Count > 0)
        {
            var results = v.OneOf.Select(sub => Node(sub, data, path, old)).ToList();
            var valid = results.Count(r => r.Count == 0);
            if (valid == 0)
            {
                errors.Add(Composite(path, "must validate one and only one schema (oneOf)"));
                errors.AddRange(results[0]);
            }
            else if (valid > 1)
            {
                errors.Add(Composite(path, $"must validate one and only one schema (oneOf). Found {valid} valid alternatives"));
            }
        }

        if (v.AnyOf.Count > 0)
        {
            List<FieldError>? best = null;
            foreach (var sub in v.AnyOf)
            {
                var result = Node(sub, data, path, old);
                if (result.Count == 0)
                {
                    best = null;
                    break;
                }

                best ??= result;
            }

            if (best is not null)
            {
                errors.Add(Composite(path, "must validate at least one schema (anyOf)"));
                errors.AddRange(best);
            }
        }

        if (v.Not is { } not && Node(not, data, path, old).Count == 0)
        {
            errors.Add(Composite(path, "must not validate the schema (not)"));
        }
    }

    private static void StringChecks(StructuralSchema s, string text, JsonNode data, string path, List<FieldError> errors)
    {
        var v = s.Validations;
        var length = text.EnumerateRunes().Count();
        if (v.MaxLength is { } max && length > max)
        {
            errors.Add(FieldError.TooLong(Field(path), data.DeepClone(), max));
        }
        else if (v.MinLength is { } min && length < min)
        {
            errors.Add(FieldError.Invalid(Field(path), data.DeepClone(), $"{path} in body should be at least {min} chars long"));
        }
        else if (v.PatternRegex is { } regex && !regex.IsMatch(text))
        {
            errors.Add(FieldError.Invalid(Field(path), data.DeepClone(), $"{path} in body should match '{v.Pattern}'"));
        }
    }

    private static void Format(StructuralSchema s, string text, JsonNode data, string path, List<FieldError> errors)
    {
        var v = s.Validations;
        if (v.CheckedStringFormat is { } format && !StringFormats.IsValid(format, text))
        {
            errors.Add(FieldError.TypeInvalid(Field(path), data.DeepClone(), $"{path} in body must be of type {v.Format}: {GoFormat.Quote(text)}"));
        }
    }

    private void Array(StructuralSchema s, JsonArray array, string path, OldValue? old, List<FieldError> errors)
    {
        if (s.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                errors.AddRange(Node(items, array[i], $"{path}[{i}]", old?.Item(s, array[i])));
            }
        }

        var v = s.Validations;
        if (v.MinItems is { } min && array.Count < min)
        {
            errors.Add(FieldError.Invalid(Field(path), JsonValue.Create((long)array.Count), $"{path} in body should have at least {min} items"));
        }

        if (v.MaxItems is { } max && array.Count > max)
        {
            errors.Add(FieldError.TooMany(Field(path), array.Count, max));
        }

        if (v.UniqueItems && array.Select(JsonValues.ToGoJson).Distinct(StringComparer.Ordinal).Count() != array.Count)
        {
            errors.Add(FieldError.Invalid(Field(path), JsonValue.Create(string.Empty), $"{path} in body shouldn't contain duplicates"));
        }
    }

    private static void Enum(StructuralSchema s, JsonNode? data, string path, List<FieldError> errors)
    {
        var values = s.Validations.Enum;
        if (values is null || values.Count == 0 || values.Any(e => JsonValues.EnumEquals(data, e)))
        {
            return;
        }

        // The apiserver lists string values as they are and marshals the others to JSON.
        var supported = values.Select(e => JsonValues.AsString(e) ?? JsonValues.ToGoJson(e));
        errors.Add(FieldError.NotSupported(Field(path), data?.DeepClone(), supported));
    }

    private void Object(StructuralSchema s, JsonObject obj, string path, OldValue? old, List<FieldError> errors)
    {
        var v = s.Validations;
        if (v.MinProperties is { } min && obj.Count < min)
        {
            errors.Add(FieldError.Invalid(Field(path), JsonValue.Create((long)obj.Count), $"{path} in body should have at least {min} properties"));
            return;
        }

        if (v.MaxProperties is { } max && obj.Count > max)
        {
            errors.Add(FieldError.TooMany(Field(path), obj.Count, max));
            return;
        }

        if (s.AdditionalProperties is { } values)
        {
            foreach (var (key, value) in obj)
            {
                if (!s.Properties.ContainsKey(key))
                {
                    errors.AddRange(Node(values, value, Join(path, key), old?.Field(key)));
                }
            }
        }

        foreach (var (name, property) in s.Properties)
        {
            if (obj.TryGetPropertyValue(name, out var value))
            {
                errors.AddRange(Node(property, value, Join(path, name), old?.Field(name)));
            }
        }

        foreach (var name in s.Required)
        {
            // kube-openapi counts a property with a default as present ("created from defaults").
            var hasDefault = s.Properties.GetValueOrDefault(name)?.Default is not null;
            if (!obj.ContainsKey(name) && !hasDefault)
            {
                errors.Add(FieldError.Required(Field(Join(path, name))));
            }
        }
    }

    private static FieldError InvalidType(string path, string expected, string actual) =>
        FieldError.TypeInvalid(Field(path), JsonValue.Create(actual), $"{path} in body must be of type {expected}: {GoFormat.Quote(actual)}");

    /// <summary>Composite (junctor) errors are plain errors in kube-openapi, so the apiserver files them under no field with value "".</summary>
    private static FieldError Composite(string path, string message) =>
        FieldError.Invalid(FieldPath.Root.ToString(), JsonValue.Create(string.Empty), $"{GoFormat.Quote(path)} {message}");

    /// <summary>swag.IsFloat64AJSONInteger: integral and within ±2^53.</summary>
    private static bool IsJsonInteger(double d) =>
        !double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) <= 9007199254740992d && Math.Floor(d) == d;

    internal static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>The apiserver files an error with an empty name under the nil path.</summary>
    internal static string Field(string path) => path.Length == 0 ? FieldPath.Root.ToString() : path;
}
