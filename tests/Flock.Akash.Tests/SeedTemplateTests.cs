using System.Text;
using Flock.Akash.Chain;
using Flock.Akash.Protos.BaseResourcesV1Beta4;
using Flock.Akash.Sdl;

namespace Flock.Akash.Tests;

/// <summary>
/// The two SDLs users deploy by hand today (tests/Fixtures/seed-templates, copied from the project's shared fixtures) must parse, and the SDL the operator
/// renders for the equivalent worker must describe the same workload: image, env names, expose rule, resources,
/// GPU models, placement, count. By design the rendered one prices in uact (mainnet's only accepted denom since
/// node v2.0.0) and runs the current validator image; see the fixtures' README.
/// </summary>
public class SeedTemplateTests
{
    private static readonly string[] FlockModels = ["h100", "a100", "rtx3090", "rtx4090", "rtx8000", "rtxa6000", "a40", "p40"];

    public static TheoryData<string, string, string, string[]> Templates => new()
    {
        { "flock-training-node.sdl.yaml", "flock-train", "public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash", ["FLOCK_API_KEY", "HF_USERNAME", "TASK_ID", "HF_TOKEN"] },
        { "flock-validator.sdl.yaml", "flock-validater", "ghcr.io/flock-io/llm-loss-validator:v1.1.2", ["FLOCK_API_KEY", "TASK_ID", "HF_TOKEN"] },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void Seed_template_parses_to_the_flock_workload(string file, string service, string image, string[] env)
    {
        _ = image;
        var doc = SdlParser.Parse(Read(file));
        Assert.Equal("2.0", doc.Version);
        var svc = Assert.Single(doc.Services);
        Assert.Equal(service, svc.Name);
        Assert.Equal(env, svc.Env!.Select(e => e.Split('=')[0]));
        var compiled = SdlCompiler.Compile(doc);
        var group = Assert.Single(compiled.Groups);
        Assert.Equal("akash", group.Name);
        var unit = Assert.Single(group.Resources);
        Assert.Equal("8000", Val(unit.Resource.Cpu.Units));
        Assert.Equal("25769803776", Val(unit.Resource.Memory.Quantity));
        Assert.Equal("107374182400", Val(unit.Resource.Storage.Single().Quantity));
        Assert.Equal("1", Val(unit.Resource.Gpu.Units));
        Assert.Equal(FlockModels.Select(m => "vendor/nvidia/model/" + m), unit.Resource.Gpu.Attributes.Select(a => a.Key));
        Assert.Equal(Endpoint.Types.Kind.SharedHttp, Assert.Single(unit.Resource.Endpoints).Kind);
        Assert.Equal(("uakt", "10000"), (unit.Price.Denom, LegacyDec.FromWire(unit.Price.Amount)));
        Assert.Equal(1u, unit.Count);
    }

    [Fact]
    public void Training_template_manifest_version_is_the_one_chain_sdk_computes()
    {
        // chain-sdk 1.0.0-alpha.25 generateManifestVersion of the unmodified template.
        var compiled = SdlCompiler.Compile(Read("flock-training-node.sdl.yaml"));
        Assert.Equal("8c59205f0e623534cd37f851bad0a7348cde1bfd9ae262409a73ff88cfd67287", Convert.ToHexStringLower(compiled.Version));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Rendered_equivalent_describes_the_same_workload(string file, string service, string image, string[] env)
    {
        var template = SdlParser.Parse(Read(file));
        var rendered = SdlParser.Parse(SdlRenderer.Render(new WorkerSdlRequest
        {
            ServiceName = service,
            Image = image,
            Env = env.Select(n => new SdlEnvVar(n, "value-of-" + n)).ToList(),
            GpuModels = FlockModels,
            PriceAmount = "10000",
        }).Yaml);

        var (t, r) = (template.Services.Single(), rendered.Services.Single());
        Assert.Equal(t.Name, r.Name);
        Assert.Equal(Repository(t.Image), Repository(r.Image));
        Assert.Equal(t.Env!.Select(Name), r.Env!.Select(Name));
        Assert.Equal(t.Expose, r.Expose, new ExposeComparer());
        Assert.Equal(Single(t.Expose).To.Single(), new SdlExposeTo(null, true, null));
        Assert.Equal((3000u, 80u), (Single(r.Expose).Port, Single(r.Expose).As!.Value));

        var (tc, rc) = (template.Compute.Single(), rendered.Compute.Single());
        Assert.Equal((tc.CpuMillis, tc.MemoryBytes), (rc.CpuMillis, rc.MemoryBytes));
        Assert.Equal(tc.Storage.Select(s => (s.Name, s.SizeBytes)), rc.Storage.Select(s => (s.Name, s.SizeBytes)));
        Assert.Equal(tc.Gpu!.Units, rc.Gpu!.Units);
        Assert.Equal(Models(tc).Order(StringComparer.Ordinal), Models(rc).Order(StringComparer.Ordinal));

        var (tp, rp) = (template.Placements.Single(), rendered.Placements.Single());
        Assert.Equal(tp.Name, rp.Name);
        Assert.Equal(tp.Attributes, rp.Attributes);
        Assert.Equal(tp.Pricing.Single().Amount, rp.Pricing.Single().Amount);
        Assert.Equal(("uakt", "uact"), (tp.Pricing.Single().Denom, rp.Pricing.Single().Denom));
        Assert.Equal(template.Deployments.Single() with { }, rendered.Deployments.Single());

        // Same chain-level resources too (GPU model order aside: the renderer sorts them, the template does not).
        var tu = SdlCompiler.Compile(template).Groups.Single().Resources.Single();
        var ru = SdlCompiler.Compile(rendered).Groups.Single().Resources.Single();
        Assert.Equal(tu.Resource.Cpu, ru.Resource.Cpu);
        Assert.Equal(tu.Resource.Memory, ru.Resource.Memory);
        Assert.Equal(tu.Resource.Storage, ru.Resource.Storage);
        Assert.Equal(tu.Resource.Endpoints, ru.Resource.Endpoints);
        Assert.Equal(tu.Resource.Gpu.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal), ru.Resource.Gpu.Attributes);
        Assert.Equal(tu.Count, ru.Count);
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(Repo.SeedTemplates, file), Encoding.UTF8);

    private static string Val(ResourceValue v) => v.Val.ToStringUtf8();

    private static string Name(string env) => env.Split('=', 2)[0];

    private static string Repository(string image) => image[..image.LastIndexOf(':')];

    private static SdlExpose Single(IReadOnlyList<SdlExpose> expose) => Assert.Single(expose);

    private static IEnumerable<string> Models(SdlComputeProfile p) => p.Gpu!.Vendors!.Single(v => v.Name == "nvidia").Models!.Select(m => m.Model);

    private sealed class ExposeComparer : IEqualityComparer<SdlExpose>
    {
        public bool Equals(SdlExpose? x, SdlExpose? y) =>
            x is not null && y is not null && x.Port == y.Port && x.As == y.As && (x.Proto ?? "tcp") == (y.Proto ?? "tcp") && x.To.SequenceEqual(y.To);

        public int GetHashCode(SdlExpose obj) => (int)obj.Port;
    }
}
