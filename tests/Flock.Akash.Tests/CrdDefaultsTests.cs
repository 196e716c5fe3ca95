using Flock.Akash.Chain;
using Flock.Akash.Sdl;
using Flock.Crds.V1Alpha1;

namespace Flock.Akash.Tests;

/// <summary>The SDL request's defaults are the resource's defaults, so an unset field means the same thing on both sides.</summary>
public class CrdDefaultsTests
{
    [Fact]
    public void Worker_sdl_request_defaults_match_the_resource_defaults()
    {
        var resources = new WorkerResources();
        var request = new WorkerSdlRequest { ServiceName = "w", Image = "i", PriceAmount = "1" };
        Assert.Equal(resources.Cpu, request.Cpu);
        Assert.Equal(resources.Memory, request.Memory);
        Assert.Equal(resources.Storage, request.Storage);
        Assert.Equal(resources.Gpu.Count, request.GpuCount);
        Assert.Equal(AkashDenom.Uact, new AkashCoin().Denom);
        Assert.Equal(AkashNetwork.Uact, request.PriceDenom);
    }
}
