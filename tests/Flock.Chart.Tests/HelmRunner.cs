namespace Flock.Chart.Tests;

/// <summary>The real helm binary (.tools/bin/helm) pointed at deploy/helm/flock-operator.</summary>
internal sealed class HelmRunner
{
    public const string ReleaseName = "flock-operator";
    public const string ReleaseNamespace = "flock-system";

    private static readonly Lazy<HelmRunner> Shared = new(() => new HelmRunner(ToolProcess.Locate("helm")));

    private readonly string _helm;

    private HelmRunner(string helm) => _helm = helm;

    public static HelmRunner Instance => Shared.Value;

    /// <summary>`helm lint` of the chart with extra arguments (--strict, --set, -f …).</summary>
    public ToolResult Lint(params string[] extraArguments) =>
        ToolProcess.Run(_helm, ["lint", RepositoryPaths.Chart, .. extraArguments]);

    /// <summary>`helm template` of the chart as release flock-operator in flock-system.</summary>
    public ToolResult Template(params string[] extraArguments) =>
        ToolProcess.Run(_helm, ["template", ReleaseName, RepositoryPaths.Chart, "--namespace", ReleaseNamespace, .. extraArguments]);

    /// <summary>`helm show &lt;what&gt;` of the chart (chart, values, crds, readme).</summary>
    public ToolResult Show(string what) => ToolProcess.Run(_helm, ["show", what, RepositoryPaths.Chart]);

    /// <summary>Renders the chart and parses the objects; fails when helm does.</summary>
    public RenderedManifest Render(params string[] extraArguments)
    {
        var result = Template(extraArguments);
        if (!result.Succeeded) throw new InvalidOperationException("helm template failed: " + result);
        return RenderedManifest.Parse(result.StdOut);
    }
}
