using YamlDotNet.RepresentationModel;

namespace Flock.Chart.Tests;

/// <summary>The operator Deployment of a render and the parts of it the tests read.</summary>
internal sealed class OperatorDeployment
{
    public OperatorDeployment(RenderedManifest manifest)
    {
        Object = manifest.Single("Deployment");
        Container = Object.Items("spec", "template", "spec", "containers").Single(c => c.Text("name") == "operator");
    }

    public YamlMappingNode Object { get; }

    public YamlNode PodSpec => Object.At("spec", "template", "spec")!;

    public YamlNode Container { get; }

    /// <summary>The container's env entries by name (the whole EnvVar node).</summary>
    public IReadOnlyDictionary<string, YamlNode> Env =>
        Container.Items("env").ToDictionary(e => e.Text("name")!, e => e);

    /// <summary>The literal value of an env var; fails when it is absent.</summary>
    public string EnvValue(string name) =>
        Env.TryGetValue(name, out var env) ? env.Text("value") ?? "" : throw new KeyNotFoundException($"env {name} not set; has {string.Join(", ", Env.Keys)}");

    /// <summary>The containerPort of a named port.</summary>
    public string Port(string name) =>
        Container.Items("ports").Single(p => p.Text("name") == name).Text("containerPort")!;
}
