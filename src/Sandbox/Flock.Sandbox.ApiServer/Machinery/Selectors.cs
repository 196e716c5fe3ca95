using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>A parsed label selector (k8s.io/apimachinery/pkg/labels syntax).</summary>
public sealed class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                "exists" => has,
                "!" => !has,
                "=" or "in" => has && r.Values.Contains(value!),
                "!=" or "notin" => !has || !r.Values.Contains(value!),
                ">" => has && long.TryParse(value, out var g) && g > long.Parse(r.Values[0], System.Globalization.CultureInfo.InvariantCulture),
                "<" => has && long.TryParse(value, out var l) && l < long.Parse(r.Values[0], System.Globalization.CultureInfo.InvariantCulture),
                _ => false,
            };
            if (!ok) return false;
        }

        return true;
    }

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var reqs = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0) throw Errors.BadRequest($"unable to parse requirement: found '', expected: identifier");
            reqs.Add(ParseRequirement(p));
        }

        return new LabelSelector(reqs);
    }

    private static Requirement ParseRequirement(string p)
    {
        if (p.StartsWith('!')) return new Requirement(CheckKey(p[1..].Trim()), "!", []);
        var inIdx = IndexOfWord(p, " notin ");
        if (inIdx > 0) return SetRequirement(p, inIdx, " notin ", "notin");
        inIdx = IndexOfWord(p, " in ");
        if (inIdx > 0) return SetRequirement(p, inIdx, " in ", "in");
        foreach (var op in new[] { "!=", "==", "=", ">", "<" })
        {
            var i = p.IndexOf(op, StringComparison.Ordinal);
            if (i > 0)
            {
                var key = CheckKey(p[..i].Trim());
                var value = p[(i + op.Length)..].Trim();
                CheckValue(value);
                return new Requirement(key, op == "==" ? "=" : op, [value]);
            }
        }

        return new Requirement(CheckKey(p), "exists", []);
    }

    private static Requirement SetRequirement(string p, int idx, string word, string op)
    {
        var key = CheckKey(p[..idx].Trim());
        var rest = p[(idx + word.Length)..].Trim();
        if (!rest.StartsWith('(') || !rest.EndsWith(')')) throw Errors.BadRequest($"unable to parse requirement: found '{rest}', expected: '('");
        var values = rest[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        foreach (var v in values) CheckValue(v);
        return new Requirement(key, op, values);
    }

    private static int IndexOfWord(string p, string word) => p.IndexOf(word, StringComparison.Ordinal);

    private static string CheckKey(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw Errors.BadRequest($"unable to parse requirement: invalid label key \"{key}\"");
        }

        return key;
    }

    private static void CheckValue(string value)
    {
        if (value.Length > 63 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw Errors.BadRequest($"unable to parse requirement: invalid label value: \"{value}\"");
        }
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private sealed record Requirement(string Key, string Op, List<string> Values);
}

/// <summary>A parsed field selector; only the fields the real apiserver indexes for a resource are allowed.</summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEverything => _terms.Count == 0;

    /// <summary>The value of an exact metadata.name term, if the selector has one.</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public static FieldSelector Parse(string? text, ApiResource resource)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0) continue;
            string field, value;
            bool equal;
            var ne = part.IndexOf("!=", StringComparison.Ordinal);
            if (ne > 0)
            {
                field = part[..ne];
                value = part[(ne + 2)..];
                equal = false;
            }
            else
            {
                var eq = part.IndexOf('=');
                if (eq <= 0) throw Errors.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
                field = part[..eq];
                value = part[(eq + 1)..].TrimStart('=');
                equal = true;
            }

            field = field.Trim();
            if (!Supported(resource, field))
            {
                throw Errors.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, equal, value.Trim()));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, equal, value) in _terms)
        {
            var actual = FieldValue(obj, field) ?? "";
            if ((actual == value) != equal) return false;
        }

        return true;
    }

    private static readonly Dictionary<string, string[]> ExtraFields = new(StringComparer.Ordinal)
    {
        ["pods"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["events"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["events.events.k8s.io"] = ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "regarding.apiVersion", "reason", "reportingController", "type"],
        ["secrets"] = ["type"],
        ["namespaces"] = ["status.phase"],
        ["nodes"] = ["spec.unschedulable"],
        ["replicasets.apps"] = ["status.replicas"],
        ["jobs.batch"] = ["status.successful"],
    };

    private static bool Supported(ApiResource r, string field) =>
        field is "metadata.name" or "metadata.namespace" ||
        (ExtraFields.TryGetValue(r.GroupResource, out var extra) && extra.Contains(field));

    private static string? FieldValue(JsonObject obj, string field) => field switch
    {
        "metadata.name" => Json.Path(obj, "metadata", "name"),
        "metadata.namespace" => Json.Path(obj, "metadata", "namespace"),
        "source" => Json.Path(obj, "source", "component"),
        "reportingComponent" => Json.Str(obj, "reportingComponent"),
        "spec.hostNetwork" => Json.Path(obj, "spec", "hostNetwork") ?? "false",
        "spec.unschedulable" => Json.Path(obj, "spec", "unschedulable") ?? "false",
        _ => Json.Path(obj, field.Split('.')),
    };
}
