using Flock.Operator.Telemetry;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>Kubernetes request spans are named after the resource a path names, never after the object.</summary>
public sealed class KubePathTests
{
    [Theory]
    [InlineData("/api/v1/namespaces/team/secrets/flock", "secrets", "team")]
    [InlineData("/apis/flock.io/v1alpha1/namespaces/team/flocktrainingnodes/n1/status", "flocktrainingnodes/status", "team")]
    [InlineData("/apis/apps/v1/namespaces/a%2Db/deployments", "deployments", "a-b")]
    [InlineData("/apis/flock.io/v1alpha1/flockvalidators", "flockvalidators", null)]
    [InlineData("/api/v1/nodes/gpu-1", "nodes", null)]
    [InlineData("/version", "/version", null)]
    public void Path_names_resource_and_namespace(string path, string resource, string? ns)
    {
        var parsed = KubePath.Parse(path);

        Assert.Equal((resource, ns), (parsed.Resource, parsed.Namespace));
    }
}
