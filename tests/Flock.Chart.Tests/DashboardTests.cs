using System.Text;
using System.Text.Json.Nodes;

namespace Flock.Chart.Tests;

public class DashboardTests
{
    /// <summary>
    /// The operator's metrics and their labels: the names the operator exports (controller-runtime's and
    /// client-go's where they exist, flock_* for the rest). The dashboard may use nothing else.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string[]> OperatorMetrics = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["controller_runtime_reconcile_total"] = ["controller", "result"],
        ["controller_runtime_reconcile_errors_total"] = ["controller"],
        ["controller_runtime_reconcile_time_seconds_bucket"] = ["controller", "le"],
        ["workqueue_depth"] = ["name"],
        ["workqueue_adds_total"] = ["name"],
        ["workqueue_retries_total"] = ["name"],
        ["workqueue_queue_duration_seconds_bucket"] = ["name", "le"],
        ["workqueue_work_duration_seconds_bucket"] = ["name", "le"],
        ["flock_informer_relists_total"] = ["resource"],
        ["flock_informer_watch_restarts_total"] = ["resource"],
        ["leader_election_master_status"] = ["name"],
        ["rest_client_requests_total"] = ["code", "method", "host"],
        ["rest_client_request_duration_seconds_bucket"] = ["verb", "host", "le"],
        ["flock_api_request_duration_seconds_bucket"] = ["operation", "outcome", "le"],
        ["flock_api_errors_total"] = ["operation", "kind"],
        ["flock_evm_request_duration_seconds_bucket"] = ["method", "outcome", "le"],
        ["flock_evm_errors_total"] = ["method"],
        ["flock_akash_rpc_duration_seconds_bucket"] = ["method", "outcome", "le"],
        ["flock_akash_tx_total"] = ["message", "outcome"],
        ["flock_akash_bids_seen_total"] = ["namespace", "name", "kind"],
        ["flock_akash_lease_price"] = ["namespace", "name", "kind", "denom"],
        ["flock_akash_lease_price_per_hour"] = ["namespace", "name", "kind", "denom"],
        ["flock_akash_escrow_balance"] = ["namespace", "name", "kind", "denom"],
        ["flock_akash_spent_total"] = ["namespace", "name", "kind", "denom"],
        ["flock_stake_amount"] = ["namespace", "name", "kind", "task"],
        ["flock_worker_phase"] = ["namespace", "name", "kind", "phase"],
    };

    /// <summary>Labels Prometheus adds to every scraped series.</summary>
    private static readonly string[] TargetLabels = ["job", "instance"];

    private static readonly Dashboard Board = Dashboard.Load();

    [Fact]
    public void Dashboard_IsAGrafanaDashboardWithUniquePanelsOnTheGrid()
    {
        Assert.Equal("flock-operator", (string?)Board.Root["uid"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)Board.Root["title"]));
        Assert.True((int)Board.Root["schemaVersion"]! >= 36, "schemaVersion");
        var panels = Board.Panels;
        Assert.True(panels.Count > 10, $"{panels.Count} panels");
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        Assert.All(panels, p =>
        {
            var grid = p["gridPos"]!.AsObject();
            Assert.InRange((int)grid["x"]! + (int)grid["w"]!, 1, 24);
            Assert.True((int)grid["h"]! > 0);
            if ((string?)p["type"] == "row") return;
            Assert.Equal("${datasource}", (string?)p["datasource"]?["uid"]);
            Assert.NotEmpty(p["targets"]!.AsArray());
        });
    }

    [Fact]
    public void EveryExpression_UsesOnlyTheOperatorsMetrics()
    {
        Assert.All(Board.Expressions, e =>
        {
            var names = PromQl.MetricNames(e.Expr);
            Assert.True(names.Count > 0, $"{e.Where}: no metric in {e.Expr}");
            Assert.All(names, name => Assert.True(OperatorMetrics.ContainsKey(name), $"{e.Where}: {name} is not an operator metric ({e.Expr})"));
        });
    }

    [Fact]
    public void EveryOperatorMetric_HasAPanel()
    {
        var used = Board.Expressions.SelectMany(e => PromQl.MetricNames(e.Expr)).ToHashSet(StringComparer.Ordinal);

        Assert.All(OperatorMetrics.Keys, metric => Assert.Contains(metric, used));
    }

    [Fact]
    public void EveryExpression_GroupsAndFiltersOnLabelsItsMetricsHave()
    {
        Assert.All(Board.Expressions, e =>
        {
            var known = PromQl.MetricNames(e.Expr).SelectMany(m => OperatorMetrics.GetValueOrDefault(m) ?? []).Concat(TargetLabels).ToHashSet();
            Assert.All(PromQl.LabelNames(e.Expr), label => Assert.True(known.Contains(label), $"{e.Where}: label {label} is not on its metrics ({e.Expr})"));
        });
    }

    [Fact]
    public void EveryExpression_HasBalancedBracketsAndOnlyDefinedVariables()
    {
        var variables = Board.Variables;

        Assert.All(Board.Expressions, e =>
        {
            Assert.Null(PromQl.BracketProblem(e.Expr));
            Assert.All(Dashboard.ReferencedVariables(e.Expr), v => Assert.Contains(v, variables));
        });
    }

    [Fact]
    public void EveryExpression_ParsesWithPrometheusOwnParser()
    {
        // promtool has no bare-expression check, but `check rules` parses each rule's expr with Prometheus' PromQL parser.
        var variables = Board.Variables;
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        var index = 0;
        foreach (var (_, expr) in Board.Expressions)
        {
            rules.Append($"      - record: dashboard:expression_{index++}\n");
            rules.Append("        expr: ").Append(new JsonArray(JsonValue.Create(Dashboard.Substitute(expr, variables)))[0]!.ToJsonString()).Append('\n');
        }

        var file = Path.Combine(Path.GetTempPath(), $"flock-dashboard-rules-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, rules.ToString());
        try
        {
            var result = ToolProcess.Run(Promtool(), ["check", "rules", file]);

            Assert.True(result.Succeeded, result.ToString());
            Assert.Contains($"SUCCESS: {index} rules found", result.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ConfigMap_IsAbsentByDefault()
    {
        Assert.Empty(ChartRenders.Default.OfKind("ConfigMap"));
    }

    [Fact]
    public void ConfigMap_WhenEnabled_CarriesTheSidecarLabelAndTheDashboardUnchanged()
    {
        var manifest = HelmRunner.Instance.Render("--set", "grafanaDashboard.enabled=true");
        var configMap = manifest.Single("ConfigMap");

        Assert.Equal($"{HelmRunner.ReleaseName}-dashboard", configMap.Text("metadata", "name"));
        Assert.Equal(HelmRunner.ReleaseNamespace, configMap.Text("metadata", "namespace"));
        Assert.Equal("1", configMap.Text("metadata", "labels", "grafana_dashboard"));
        var json = configMap.Text("data", "flock-operator.json");
        Assert.Equal(Board.Text.TrimEnd(), json);
        Assert.Equal("flock-operator", (string?)JsonNode.Parse(json!)!["uid"]);
    }

    [Fact]
    public void ConfigMap_FollowsTheNamespaceLabelsAndAnnotationsValues()
    {
        var customized = ChartRenders.Customized.Single("ConfigMap");
        var elsewhere = HelmRunner.Instance.Render("--set", "grafanaDashboard.enabled=true", "--set", "grafanaDashboard.namespace=monitoring").Single("ConfigMap");

        Assert.Equal("ml", customized.Text("metadata", "labels", "team"));
        Assert.Equal("1", customized.Text("metadata", "labels", "grafana_dashboard"));
        Assert.Equal("Operators", customized.Text("metadata", "annotations", "grafana_folder"));
        Assert.Equal("monitoring", elsewhere.Text("metadata", "namespace"));
    }

    private static string Promtool()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "promtool")).FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException("promtool not found on PATH: run `make tools` (it installs Debian's prometheus package)");
    }

    [Fact]
    public void PromQlReader_FindsMetricsAndLabelsAndBadBrackets()
    {
        // The lexical reader the checks above rely on, on expressions whose answers are known.
        const string expr = "histogram_quantile(0.99, sum by (le, verb) (rate(rest_client_request_duration_seconds_bucket{job=~\"a{b}\"}[5m]))) / on (verb) group_left up * 6.17";

        Assert.Equal(new HashSet<string> { "rest_client_request_duration_seconds_bucket", "up" }, PromQl.MetricNames(expr));
        Assert.Equal(new HashSet<string> { "le", "verb", "job" }, PromQl.LabelNames(expr));
        Assert.Null(PromQl.BracketProblem(expr));
        Assert.NotNull(PromQl.BracketProblem("sum(rate(x[5m])"));
        Assert.NotNull(PromQl.BracketProblem("x{a=\"b}"));
        Assert.NotNull(PromQl.BracketProblem("sum(x]"));
    }
}
