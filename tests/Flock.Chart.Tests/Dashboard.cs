using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Flock.Chart.Tests;

/// <summary>The chart's Grafana dashboard (dashboards/flock-operator.json) and the PromQL in it.</summary>
internal sealed partial class Dashboard
{
    private Dashboard(string text, JsonObject root)
    {
        Text = text;
        Root = root;
    }

    public static string FilePath => Path.Combine(RepositoryPaths.Chart, "dashboards", "flock-operator.json");

    public string Text { get; }

    public JsonObject Root { get; }

    public static Dashboard Load()
    {
        var text = File.ReadAllText(FilePath);
        return new Dashboard(text, JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException("the dashboard is JSON null"));
    }

    /// <summary>Every panel, including those nested in collapsed rows.</summary>
    public IReadOnlyList<JsonObject> Panels =>
        (Root["panels"]?.AsArray() ?? []).OfType<JsonObject>()
            .SelectMany(p => new[] { p }.Concat((p["panels"]?.AsArray() ?? []).OfType<JsonObject>()))
            .ToList();

    /// <summary>Names of the template variables ($datasource, $job, …).</summary>
    public IReadOnlySet<string> Variables =>
        (Root["templating"]?["list"]?.AsArray() ?? []).Select(v => (string)v!["name"]!).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every PromQL expression: panel targets, and the series selectors inside the variables' label_values queries.</summary>
    public IReadOnlyList<(string Where, string Expr)> Expressions
    {
        get
        {
            var targets = Panels.SelectMany(p => (p["targets"]?.AsArray() ?? []).OfType<JsonObject>()
                .Select(t => ($"panel {p["id"]} \"{p["title"]}\" target {t["refId"]}", (string)t["expr"]!)));
            var variables = (Root["templating"]?["list"]?.AsArray() ?? []).OfType<JsonObject>()
                .Where(v => (string?)v["type"] == "query")
                .Select(v => ($"variable {v["name"]}", LabelValuesSelector((string)v["definition"]!)));
            return targets.Concat(variables).ToList();
        }
    }

    /// <summary>Grafana's label_values(selector, label) is not PromQL; its selector is.</summary>
    private static string LabelValuesSelector(string query)
    {
        var match = LabelValuesQuery().Match(query);
        return match.Success ? match.Groups["selector"].Value : throw new InvalidOperationException($"not a label_values query: {query}");
    }

    /// <summary>
    /// The expression with Grafana's variables replaced by values, so Prometheus' own parser can judge it:
    /// interval macros become a duration, template variables a plain value (they only ever sit inside quoted matchers).
    /// </summary>
    public static string Substitute(string expr, IReadOnlySet<string> variables) =>
        VariableReference().Replace(expr, m =>
        {
            var name = m.Groups["name"].Value;
            if (name is "__rate_interval" or "__interval" or "__range") return "5m";
            return variables.Contains(name) ? "value" : throw new InvalidOperationException($"${name} is not a template variable of the dashboard: {expr}");
        });

    /// <summary>Names of the $variables an expression refers to.</summary>
    public static IEnumerable<string> ReferencedVariables(string expr) =>
        VariableReference().Matches(expr).Select(m => m.Groups["name"].Value).Where(n => !n.StartsWith("__", StringComparison.Ordinal));

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$")]
    private static partial Regex LabelValuesQuery();

    [GeneratedRegex(@"\$\{?(?<name>[a-zA-Z_][a-zA-Z0-9_]*)\}?")]
    private static partial Regex VariableReference();
}
