namespace Flock.Chart.Tests;

/// <summary>The two renders most tests look at, made once per test run.</summary>
internal static class ChartRenders
{
    private static readonly Lazy<RenderedManifest> DefaultRender = new(() => HelmRunner.Instance.Render());

    private static readonly Lazy<RenderedManifest> CustomizedRender = new(() => HelmRunner.Instance.Render("--values", CustomizedValuesFile));

    /// <summary>Non-default values: watchNamespaces [team-a, team-b], replicas 2, ServiceMonitor on, image override, extraEnv….</summary>
    public static string CustomizedValuesFile => Path.Combine(RepositoryPaths.TestValues, "customized.yaml");

    /// <summary>The chart with its default values.</summary>
    public static RenderedManifest Default => DefaultRender.Value;

    /// <summary>The chart with values/customized.yaml.</summary>
    public static RenderedManifest Customized => CustomizedRender.Value;

    public static RenderedManifest ByName(string render) => render switch
    {
        "default" => Default,
        "customized" => Customized,
        _ => throw new ArgumentOutOfRangeException(nameof(render), render, "expected default or customized"),
    };
}
