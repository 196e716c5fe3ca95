using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The subset of k8s.io/client-go/util/jsonpath that CRD printer columns use: <c>.a.b</c>,
/// <c>.a[0]</c>, <c>.a[-1]</c>, <c>.a[*].b</c>, <c>.*</c>, <c>..b</c>, <c>['dotted.key']</c>, and filters
/// <c>[?(@.type=="Ready")]</c> with == != &lt; &gt; &lt;= &gt;= or bare existence. Optional <c>{…}</c> braces.
/// Missing keys yield no results rather than errors, as the apiserver evaluates columns.
/// </summary>
public sealed partial class JsonPath
{
    private readonly List<Segment> _segments;

    private JsonPath(string expression, List<Segment> segments)
    {
        Expression = expression;
        _segments = segments;
    }

    public string Expression { get; }

    /// <summary>Parses <paramref name="expression"/>; throws <see cref="FormatException"/> on syntax errors.</summary>
    public static JsonPath Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1].Trim();
        }

        if (text.StartsWith('$'))
        {
            text = text[1..];
        }

        return new JsonPath(expression, new Parser(text).ParseSegments());
    }

    /// <summary>Every node the path selects, in document order.</summary>
    public IReadOnlyList<JsonNode?> Evaluate(JsonNode? root)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var segment in _segments)
        {
            current = current.SelectMany(segment.Apply).ToList();
        }

        return current.ToList();
    }

    /// <summary>The text jsonpath's PrintResults writes for one value: strings bare, maps/arrays as compact JSON.</summary>
    public static string Print(JsonNode? value) => value switch
    {
        null => "<nil>",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => FormatNumber(v),
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    private static string FormatNumber(JsonValue value)
    {
        var raw = value.ToJsonString();
        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        return double.Parse(raw, CultureInfo.InvariantCulture).ToString("G", CultureInfo.InvariantCulture);
    }

    private abstract record Segment
    {
        public abstract IEnumerable<JsonNode?> Apply(JsonNode? node);
    }

    private sealed record Field(string Name) : Segment
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            if (node is JsonObject obj && obj.TryGetPropertyValue(Name, out var child))
            {
                yield return child;
            }
        }
    }

    private sealed record Wildcard : Segment
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node) => node switch
        {
            JsonObject obj => obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
    }

    private sealed record Index(int? Start, int? End, bool IsSlice) : Segment
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            if (node is not JsonArray array)
            {
                yield break;
            }

            if (!IsSlice)
            {
                var i = Start ?? 0;
                if (i < 0)
                {
                    i += array.Count;
                }

                if (i >= 0 && i < array.Count)
                {
                    yield return array[i];
                }

                yield break;
            }

            var from = Normalize(Start ?? 0, array.Count);
            var to = Normalize(End ?? array.Count, array.Count);
            for (var i = from; i < to; i++)
            {
                yield return array[i];
            }
        }

        private static int Normalize(int i, int count) => Math.Clamp(i < 0 ? i + count : i, 0, count);
    }

    private sealed record Recursive(string Name) : Segment
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            var results = new List<JsonNode?>();
            Walk(node, results);
            return results;
        }

        private void Walk(JsonNode? node, List<JsonNode?> results)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (Name == "*")
                    {
                        results.AddRange(obj.Select(p => p.Value));
                    }
                    else if (obj.TryGetPropertyValue(Name, out var child))
                    {
                        results.Add(child);
                    }

                    foreach (var (_, value) in obj)
                    {
                        Walk(value, results);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item, results);
                    }

                    break;
            }
        }
    }

    private sealed record Filter(JsonPath Left, string? Operator, JsonNode? Right) : Segment
    {
        public override IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            IEnumerable<JsonNode?> candidates = node switch
            {
                JsonArray array => array,
                JsonObject obj => obj.Select(p => p.Value),
                _ => [],
            };
            return candidates.Where(Matches);
        }

        private bool Matches(JsonNode? item)
        {
            var values = Left.Evaluate(item);
            if (values.Count == 0)
            {
                return false;
            }

            if (Operator is null)
            {
                return true;
            }

            var left = values[0];
            if (Operator is "==" or "!=")
            {
                var equal = JsonNode.DeepEquals(left, Right) || (Number(left) is { } a && Number(Right) is { } b && a == b);
                return Operator == "==" ? equal : !equal;
            }

            if (Number(left) is not { } l || Number(Right) is not { } r)
            {
                return false;
            }

            return Operator switch
            {
                "<" => l < r,
                ">" => l > r,
                "<=" => l <= r,
                ">=" => l >= r,
                _ => false,
            };
        }

        private static double? Number(JsonNode? node) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;
    }
}
