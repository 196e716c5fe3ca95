using System.Text.RegularExpressions;
using Flock.Crds.Schema;

namespace Flock.Crds.Tests;

/// <summary>
/// The documentation in docs/ stays true: the API reference is exactly what the generator makes from the
/// C# types, and the troubleshooting table names exactly the condition reasons the operator can set.
/// </summary>
public sealed partial class DocsTests
{
    private static string Docs => Path.Combine(RepositoryPaths.Root, "docs");

    // ---- docs/reference.md -------------------------------------------------------------------------

    [Fact]
    public void Committed_reference_matches_a_fresh_generation()
    {
        var path = Path.Combine(RepositoryPaths.Root, ReferenceMarkdown.RelativePath);
        Assert.True(File.Exists(path), $"{path} is missing: run `make crds`");

        Assert.True(ReferenceMarkdown.Render() == File.ReadAllText(path), $"{path} is out of date: run `make crds`");
    }

    [Fact]
    public void Reference_generation_is_deterministic() => Assert.Equal(ReferenceMarkdown.Render(), ReferenceMarkdown.Render());

    [Fact]
    public void Reference_lists_every_field_of_every_kind()
    {
        var reference = ReferenceMarkdown.Render();
        foreach (var crd in CommittedCrds.All.Values)
        {
            var paths = new List<string>();
            Collect("", crd.Spec.Versions.Single().Schema.OpenAPIV3Schema, paths);
            var start = reference.IndexOf($"\n## {crd.Spec.Names.Kind}\n", StringComparison.Ordinal);
            Assert.True(start >= 0, $"no section for {crd.Spec.Names.Kind}");
            var end = reference.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            var section = end < 0 ? reference[start..] : reference[start..end];
            foreach (var path in paths) Assert.Contains($"| `{path}` |", section, StringComparison.Ordinal);
        }

        static void Collect(string path, k8s.Models.V1JSONSchemaProps schema, List<string> paths)
        {
            foreach (var (name, field) in schema.Properties ?? new Dictionary<string, k8s.Models.V1JSONSchemaProps>())
            {
                var fieldPath = path.Length == 0 ? name : path + "." + name;
                paths.Add(fieldPath);
                Collect(fieldPath, field, paths);
                if (field.Items is k8s.Models.V1JSONSchemaProps items) Collect(fieldPath + "[]", items, paths);
            }
        }
    }

    // ---- docs/troubleshooting.md -------------------------------------------------------------------

    [Fact]
    public void Every_reason_the_operator_sets_is_in_the_troubleshooting_table()
    {
        var documented = DocumentedReasons();
        var missing = OperatorReasons().Where(r => !documented.Contains(r.Reason))
            .Select(r => $"{r.Reason} (set in {r.File})").Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, "docs/troubleshooting.md lacks a row for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Troubleshooting_table_names_no_reason_the_operator_never_sets()
    {
        var set = OperatorReasons().Select(r => r.Reason).ToHashSet(StringComparer.Ordinal);
        var stale = DocumentedReasons().Where(r => !set.Contains(r)).Order(StringComparer.Ordinal).ToList();

        Assert.True(stale.Count == 0, "docs/troubleshooting.md names reasons the operator never sets: " + string.Join(", ", stale));
    }

    [Fact]
    public void Troubleshooting_table_has_one_row_per_reason()
    {
        var rows = ReasonRows().Select(r => r.Reason).ToList();
        var repeated = rows.GroupBy(r => r, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(repeated.Count == 0, "reasons with more than one row: " + string.Join(", ", repeated));
        Assert.All(ReasonRows(), row => Assert.True(row.Cells.Count == 5 && row.Cells.All(c => c.Trim().Length > 0),
            $"the row of {row.Reason} needs five non-empty cells: reason, conditions, phase, meaning, what to do"));
    }

    /// <summary>Every pattern of the scan still finds something in the operator: a refactor that bypasses one fails here, not silently.</summary>
    [Theory]
    [InlineData("WorkloadProblem")]
    [InlineData("ConditionStatusConstructor")]
    [InlineData("ReasonVariable")]
    [InlineData("ReasonMethod")]
    [InlineData("ReasonTuple")]
    public void Each_reason_pattern_still_matches_the_operator(string pattern) =>
        Assert.Contains(OperatorReasons(), r => r.Pattern == pattern);

    /// <summary>What each pattern catches, and what it must leave alone (comparisons are reads, not writes).</summary>
    [Theory]
    [InlineData("""return new WorkloadProblem("Unschedulable", $"cannot schedule", Fatal: false);""", "Unschedulable")]
    [InlineData("""new WorkloadProblem(Reason: "ImagePullFailed", Message: m, Fatal: true)""", "ImagePullFailed")]
    [InlineData("""var v = new Verdict(ConditionStatus.False, "NotStalled", "fine");""", "NotStalled")]
    [InlineData("""new Verdict(ConditionStatus.True, workload.Problem?.Reason ?? "Scheduled", message)""", "Scheduled")]
    [InlineData("""new Verdict(ConditionStatus.False, p?.Reason ?? (suspended ? "Suspended" : "NoDeployment"), p?.Message ?? "none")""", "Suspended,NoDeployment")]
    [InlineData("""new TaskVerdict(ConditionStatus.Unknown, apiUnavailable ? ErrorReason(x[0].E!) : "TaskPending", why, false)""", "TaskPending")]
    [InlineData("""return new StakeVerdict(ConditionStatus.Unknown, error is null ? "StakePending" : "StakingUnavailable", m, true, s);""", "StakePending,StakingUnavailable")]
    [InlineData("public static StakeVerdict N(string a) =>\n        new(ConditionStatus.Unknown, \"StakingNotConfigured\", why, true, s);", "StakingNotConfigured")]
    [InlineData("""var reason = api ? ErrorReason(e) : kind == Kinds.Node ? "SubmissionPhase" : "ValidationOpen";""", "SubmissionPhase,ValidationOpen")]
    [InlineData("""var closedReason = kind == "FlockTrainingNode" ? "SubmissionPhaseEnded" : "TaskCompleted";""", "SubmissionPhaseEnded,TaskCompleted")]
    [InlineData("public static string ErrorReason(FlockApiException error) => error.Error switch\n{\n    FlockApiError.Malformed => \"FlockApiMalformed\",\n    _ => \"FlockApiUnavailable\",\n};", "FlockApiMalformed,FlockApiUnavailable")]
    [InlineData("""var (reason, detail) = a is not null ? ("WrongRole", $"{x} is staked") : b is not null ? ("StakeMissing", $"none") : (null, null);""", "WrongRole,StakeMissing")]
    [InlineData("""conditions = ConditionSet.Set(conditions, Ready, ConditionStatus.True, "Deleting", "closing", generation, now);""", "Deleting")]
    [InlineData("""var c = new Condition { Type = "LeaseActive", Reason = "LeaseClosed", Message = m };""", "LeaseClosed")]
    [InlineData("""var stalled = held.Reason == "StakingNotConfigured" ? a : b;""", "")]
    [InlineData("""if (workload.Problem is null or { Reason: "ScheduledRunFailed" }) { }""", "")]
    [InlineData("""var phase = fatal.Reason == "CrashLoopBackOff" ? Phase.Degraded : Phase.Failed;""", "")]
    [InlineData("""// return new WorkloadProblem("Commented", "out", true);""", "")]
    [InlineData("""await context.Events.WarningAsync(resource, "SomeEvent", $"message", ct);""", "")]
    public void The_scan_catches_reasons_and_ignores_comparisons(string source, string expected)
    {
        var found = ReasonScan.Scan(source).Select(r => r.Reason).ToList();

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), found);
    }

    // ---- docs/install.md ---------------------------------------------------------------------------

    /// <summary>Every chart value install.md names in its table exists in values.yaml with the default it states.</summary>
    [Fact]
    public void Install_guide_values_and_defaults_match_the_chart()
    {
        var values = new YamlDotNet.RepresentationModel.YamlStream();
        values.Load(new StringReader(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "helm", "flock-operator", "values.yaml"))));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)values.Documents[0].RootNode;
        var rows = File.ReadAllLines(Path.Combine(Docs, "install.md"))
            .Select(line => CellSplit().Split(line.Trim().Trim('|')))
            .Where(cells => cells.Length == 3 && ValueCell().IsMatch(cells[0].Trim()))
            .ToList();
        Assert.True(rows.Count >= 8, "install.md's table of chart values not found");

        foreach (var cells in rows)
        {
            var path = cells[0].Trim().Trim('`');
            YamlDotNet.RepresentationModel.YamlNode node = root;
            foreach (var key in path.Split('.'))
            {
                var mapping = Assert.IsType<YamlDotNet.RepresentationModel.YamlMappingNode>(node);
                Assert.True(mapping.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode(key), out var child), $"install.md names {path}, which values.yaml does not have");
                node = child!;
            }

            var stated = cells[1].Trim().Trim('`');
            var actual = node switch
            {
                YamlDotNet.RepresentationModel.YamlScalarNode scalar => scalar.Value is { Length: > 0 } v ? v : "\"\"",
                YamlDotNet.RepresentationModel.YamlSequenceNode { Children.Count: 0 } => "[]",
                YamlDotNet.RepresentationModel.YamlMappingNode { Children.Count: 0 } => "{}",
                _ => "(structured)",
            };
            // A structured default (a list of maps) is described in words; scalars and empty values must match exactly.
            Assert.True(stated == actual || actual == "(structured)", $"install.md says {path} defaults to {stated}; values.yaml has {actual}");
        }
    }

    [Fact]
    public void Install_guide_registers_the_argo_cd_health_check_for_both_kinds()
    {
        var guide = File.ReadAllText(Path.Combine(Docs, "install.md"));
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "deploy", "argocd", "health.lua")));
        foreach (var kind in CommittedCrds.All.Keys)
        {
            Assert.Contains($"resource.customizations.health.flock.io_{kind}", guide, StringComparison.Ordinal);
        }
    }

    private static IReadOnlyList<(string Reason, string Pattern, string File)> OperatorReasons()
    {
        var source = Path.Combine(RepositoryPaths.Root, "src", "Operator", "Flock.Operator");
        var separator = Path.DirectorySeparatorChar;
        var files = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);
        return files.SelectMany(f => ReasonScan.Scan(File.ReadAllText(f))
                .Select(r => (r.Reason, r.Pattern, Path.GetRelativePath(RepositoryPaths.Root, f))))
            .ToList();
    }

    private static HashSet<string> DocumentedReasons() => ReasonRows().Select(r => r.Reason).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The rows of the table under "## Condition reasons" in docs/troubleshooting.md whose first cell is one
    /// code span holding a CamelCase word; the section ends at the next "## " heading.
    /// </summary>
    private static List<(string Reason, List<string> Cells)> ReasonRows()
    {
        var path = Path.Combine(Docs, "troubleshooting.md");
        Assert.True(File.Exists(path), $"{path} is missing");
        var rows = new List<(string, List<string>)>();
        var inSection = false;
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal)) inSection = line.Trim() == "## Condition reasons";
            if (!inSection || !line.StartsWith('|')) continue;
            var cells = CellSplit().Split(line.Trim().Trim('|')).ToList();
            var first = ReasonCell().Match(cells[0].Trim());
            if (first.Success) rows.Add((first.Groups["reason"].Value, cells));
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    // A cell boundary is a pipe not escaped with a backslash.
    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellSplit();

    [GeneratedRegex(@"^`[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)*`$")]
    private static partial Regex ValueCell();

    [GeneratedRegex(@"^`(?<reason>[A-Z][A-Za-z0-9]*)`$")]
    private static partial Regex ReasonCell();
}

/// <summary>
/// Finds the condition reasons C# source sets, as string literals in the places the operator writes them.
/// Lines that start with // are skipped. A literal counts only when it is one CamelCase word
/// (<c>^[A-Z][A-Za-z0-9]*$</c>, the shape the CRD's reason pattern and kstatus expect) and is not the right
/// side of <c>==</c> / <c>!=</c> or a property pattern (<c>{ Reason: "X" }</c>): those read a reason, they do not set one.
/// <list type="bullet">
/// <item><b>WorkloadProblem</b>: the first argument of <c>new WorkloadProblem("X", …)</c>, positional or named <c>Reason:</c>
/// (WorkloadObserver, WorkerReconciler's SecretNotFound / SecretKeyMissing / UnknownGpuModel).</item>
/// <item><b>ConditionStatusConstructor</b>: every literal in the second argument of any constructor whose first argument is
/// <c>ConditionStatus.X</c>: <c>new Verdict(…)</c>, <c>new TaskVerdict(…)</c>, <c>new StakeVerdict(…)</c> and target-typed
/// <c>new(…)</c>; the whole argument is read with balanced brackets, so <c>a ? "X" : "Y"</c> and <c>r ?? "X"</c> yield X and Y.</item>
/// <item><b>ReasonVariable</b>: every literal in the initializer of a local or field whose name ends in <c>reason</c>/<c>Reason</c>
/// (<c>var reason = … ? "SubmissionPhase" : "ValidationOpen";</c>, <c>var closedReason = …</c>), up to its semicolon.</item>
/// <item><b>ReasonMethod</b>: every literal in the expression body of a method named <c>…Reason</c> that returns a string
/// (TaskJudge.ErrorReason's switch arms <c>=> "FlockApiUnavailable"</c>).</item>
/// <item><b>ReasonTuple</b>: a tuple literal <c>("X", "…")</c> or <c>("X", $"…")</c>, a reason with its message (StakeJudge's
/// <c>(reason, detail)</c>); a parenthesis that follows a name is a call, not a tuple, and is skipped.</item>
/// <item><b>ConditionSetCall</b>: a literal fourth argument of <c>ConditionSet.Set(conditions, type, status, "X", …)</c>.</item>
/// <item><b>ReasonAssignment</b>: <c>Reason = "X"</c> in an object initializer or assignment.</item>
/// </list>
/// </summary>
internal static partial class ReasonScan
{
    public static IEnumerable<(string Reason, string Pattern)> Scan(string source)
    {
        var text = string.Join('\n', source.Split('\n').Select(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal) ? "" : l));
        var found = new List<(int Position, string Reason, string Pattern)>();

        foreach (Match m in WorkloadProblem().Matches(text)) found.Add((m.Index, m.Groups["reason"].Value, "WorkloadProblem"));
        foreach (Match m in ConditionStatusConstructor().Matches(text))
        {
            AddLiterals(found, text, m.Index + m.Length, Argument(text, m.Index + m.Length), "ConditionStatusConstructor");
        }

        foreach (Match m in ReasonVariable().Matches(text))
        {
            AddLiterals(found, text, m.Index + m.Length, Statement(text, m.Index + m.Length), "ReasonVariable");
        }

        foreach (Match m in ReasonMethod().Matches(text))
        {
            AddLiterals(found, text, m.Index + m.Length, Statement(text, m.Index + m.Length), "ReasonMethod");
        }

        foreach (Match m in ReasonTuple().Matches(text)) found.Add((m.Index, m.Groups["reason"].Value, "ReasonTuple"));
        foreach (Match m in ConditionSetCall().Matches(text)) found.Add((m.Index, m.Groups["reason"].Value, "ConditionSetCall"));
        foreach (Match m in ReasonAssignment().Matches(text)) found.Add((m.Index, m.Groups["reason"].Value, "ReasonAssignment"));

        return found.OrderBy(f => f.Position).Select(f => (f.Reason, f.Pattern)).Distinct().ToList();
    }

    private static void AddLiterals(List<(int, string, string)> found, string text, int start, int length, string pattern)
    {
        var span = text.Substring(start, length);
        foreach (Match literal in Literal().Matches(span))
        {
            var before = span[..literal.Index].TrimEnd();
            if (before.EndsWith("==", StringComparison.Ordinal) || before.EndsWith("!=", StringComparison.Ordinal) || before.EndsWith(':') && IsPropertyPattern(before)) continue;
            found.Add((start + literal.Index, literal.Groups["reason"].Value, pattern));
        }
    }

    // "{ Reason: " before a literal: a property pattern, which reads the reason.
    private static bool IsPropertyPattern(string before) => PropertyPatternTail().IsMatch(before);

    /// <summary>Length of the argument that starts at <paramref name="start"/>: up to the first comma or closing bracket at depth 0.</summary>
    private static int Argument(string text, int start) => Scan(text, start, stopAtComma: true);

    /// <summary>Length of the expression that starts at <paramref name="start"/>: up to the semicolon at depth 0.</summary>
    private static int Statement(string text, int start) => Scan(text, start, stopAtComma: false);

    private static int Scan(string text, int start, bool stopAtComma)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                // Skip a string literal (regular or interpolated; escapes and doubled quotes handled well enough for source text).
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\') i++;
                }

                continue;
            }

            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}')
            {
                if (depth == 0) return i - start;
                depth--;
            }
            else if (depth == 0 && (c == ';' || (stopAtComma && c == ','))) return i - start;
        }

        return text.Length - start;
    }

    [GeneratedRegex(@"\bnew\s+WorkloadProblem\s*\(\s*(?:Reason\s*:\s*)?""(?<reason>[A-Z][A-Za-z0-9]*)""")]
    private static partial Regex WorkloadProblem();

    [GeneratedRegex(@"\bnew\s*(?:\w+\s*)?\(\s*ConditionStatus\.\w+\s*,\s*")]
    private static partial Regex ConditionStatusConstructor();

    [GeneratedRegex(@"\b(?:var|string\??)\s+\w*[Rr]eason\s*=(?!=)\s*")]
    private static partial Regex ReasonVariable();

    [GeneratedRegex(@"\bstring\??\s+\w*Reason\s*\([^)]*\)\s*=>\s*")]
    private static partial Regex ReasonMethod();

    [GeneratedRegex(@"(?<![\w\]\)>]\s*)\(\s*""(?<reason>[A-Z][A-Za-z0-9]*)""\s*,\s*[$@]*""")]
    private static partial Regex ReasonTuple();

    [GeneratedRegex(@"\bConditionSet\.Set\s*\((?:[^,()]*(?:\([^()]*\))?[^,()]*,){3}\s*""(?<reason>[A-Z][A-Za-z0-9]*)""")]
    private static partial Regex ConditionSetCall();

    [GeneratedRegex(@"\bReason\s*=(?!=)\s*""(?<reason>[A-Z][A-Za-z0-9]*)""")]
    private static partial Regex ReasonAssignment();

    [GeneratedRegex(@"(?<![\w$@""])""(?<reason>[A-Z][A-Za-z0-9]*)""")]
    private static partial Regex Literal();

    [GeneratedRegex(@"[{,]\s*\w+\s*:$")]
    private static partial Regex PropertyPatternTail();
}
