using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flock.Crds.Serialization;
using Flock.Sandbox.Admission;

namespace Flock.Crds.Tests;

/// <summary>
/// The corpus of invalid-resources.yaml: every bad resource is refused with an error that names the
/// field, as the apiserver would refuse it with these CRDs (schema, then CEL rules).
/// </summary>
public sealed partial class InvalidResourceTests
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> Corpus = new(() =>
        YamlToJson.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "invalid-resources.yaml")))!
            .AsArray().Select(c => c!.AsObject()).ToList());

    public static TheoryData<string> Cases() => new(Corpus.Value.Select(c => c["name"]!.GetValue<string>()));

    [Fact]
    public void Corpus_has_at_least_a_hundred_distinct_cases()
    {
        var names = Corpus.Value.Select(c => c["name"]!.GetValue<string>()).ToList();

        Assert.True(names.Count >= 100, $"only {names.Count} cases");
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_resource_is_refused_naming_the_field(string name)
    {
        var testCase = Corpus.Value.Single(c => c["name"]!.GetValue<string>() == name);
        var resource = SampleDocuments.Resource(testCase["sample"]!.GetValue<string>());
        foreach (var path in testCase["remove"]?.AsArray() ?? [])
        {
            Remove(resource, path!.GetValue<string>());
        }

        foreach (var (path, value) in testCase["set"]?.AsObject() ?? [])
        {
            Set(resource, path, value?.DeepClone());
        }

        var result = CustomResourceAdmission.Admit(CommittedCrds.SchemaFor(SampleDocuments.KindOf(resource)), resource, null);

        var field = testCase["field"]!.GetValue<string>();
        var says = testCase["says"]?.GetValue<string>();
        // Strict field validation (kubectl's default) turns each pruned field into an error.
        var messages = result.Errors.Where(e => e.Field == field).Select(e => e.ToString())
            .Concat(result.Warnings.Where(w => w.Contains($"\"{field}\"", StringComparison.Ordinal)))
            .ToList();
        var all = string.Join("\n", result.Errors.Select(e => e.ToString()).Concat(result.Warnings));
        Assert.True(messages.Count > 0, $"no error names {field}; got:\n{all}");
        if (says is not null)
        {
            Assert.True(messages.Any(m => m.Contains(says, StringComparison.Ordinal)), $"no error on {field} says '{says}'; got:\n{all}");
        }
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Navigate(root, path, create: true);
        if (last is int index) parent.AsArray()[index] = value;
        else parent.AsObject()[(string)last] = value;
    }

    private static void Remove(JsonObject root, string path)
    {
        var (parent, last) = Navigate(root, path, create: false);
        Assert.True(parent.AsObject().Remove((string)last), $"{path} is not in the sample");
    }

    // "a.b[0].c" → parent node of the last segment, and that segment (a name or a list index).
    private static (JsonNode Parent, object Last) Navigate(JsonObject root, string path, bool create)
    {
        var segments = new List<object>();
        foreach (var part in path.Split('.'))
        {
            var match = Segment().Match(part);
            segments.Add(match.Groups["name"].Value);
            foreach (Capture index in match.Groups["index"].Captures) segments.Add(int.Parse(index.Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        JsonNode node = root;
        foreach (var segment in segments[..^1])
        {
            JsonNode? next = segment is int i ? node.AsArray()[i] : node.AsObject()[(string)segment];
            if (next is null && create && segment is string key)
            {
                next = new JsonObject();
                node.AsObject()[key] = next;
            }

            node = next ?? throw new InvalidOperationException($"{path}: no {segment}");
        }

        return (node, segments[^1]);
    }

    [GeneratedRegex(@"^(?<name>[^\[]+)(\[(?<index>[0-9]+)\])*$")]
    private static partial Regex Segment();
}
