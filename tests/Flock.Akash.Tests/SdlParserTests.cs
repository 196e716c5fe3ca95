using Flock.Akash.Sdl;

namespace Flock.Akash.Tests;

public class SdlParserTests
{
    private static readonly string Seed = File.ReadAllText(Path.Combine(Repo.SeedTemplates, "flock-training-node.sdl.yaml"));

    private static SdlException Invalid(string yaml) => Assert.Throws<SdlException>(() => SdlParser.Parse(yaml));

    [Fact]
    public void A_service_without_image_is_reported_at_its_path()
    {
        var e = Invalid(Seed.Replace("    image: public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash\n", "", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Path == "/services/flock-train/image");
    }

    [Fact]
    public void Gpu_units_without_models_and_models_without_units_are_refused()
    {
        var noAttributes = Seed[..Seed.IndexOf("          attributes:\n            vendor:", StringComparison.Ordinal)] + Seed[Seed.IndexOf("  placement:", StringComparison.Ordinal)..];
        Assert.Contains(Invalid(noAttributes).Errors, x => x.Path.EndsWith("/gpu", StringComparison.Ordinal));
        Assert.Contains(Invalid(Seed.Replace("          units: 1\n          attributes:", "          units: 0\n          attributes:", StringComparison.Ordinal)).Errors, x => x.Path.EndsWith("/gpu/attributes", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_placement_profile_and_missing_price_are_reported()
    {
        Assert.Contains(Invalid(Seed.Replace("  flock-train:\n    akash:", "  flock-train:\n    elsewhere:", StringComparison.Ordinal)).Errors, x => x.Message.Contains("placement \"elsewhere\"", StringComparison.Ordinal));
        Assert.Contains(Invalid(Seed.Replace("      profile: flock-train", "      profile: nope", StringComparison.Ordinal)).Errors, x => x.Message.Contains("\"nope\"", StringComparison.Ordinal));
        Assert.Contains(Invalid(Seed.Replace("      pricing:\n        flock-train:", "      pricing:\n        other:", StringComparison.Ordinal)).Errors, x => x.Path.EndsWith("/pricing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("version: \"2.0\"", "version: \"3.0\"", "/version")]
    [InlineData("version: \"2.0\"", "version: 2.0", "/version")]
    [InlineData("denom: uakt", "denom: usd", "/denom")]
    [InlineData("      - port: 3000", "      - port: 0", "/port")]
    [InlineData("        cpu:\n          units: 8", "        cpu:\n          units: 0", "/cpu/units")]
    [InlineData("          size: 24Gi", "          size: lots", "/memory/size")]
    [InlineData("    image:", "    imagex: x\n    image:", "/imagex")]
    [InlineData("                - model: h100", "                - model: h100\n                  interface: nvlink", "/interface")]
    public void Shape_errors_name_the_field(string from, string to, string pathEnd)
    {
        var e = Invalid(Seed.Replace(from, to, StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Path.EndsWith(pathEnd, StringComparison.Ordinal));
    }

    [Fact]
    public void Persistent_storage_needs_a_mount()
    {
        var yaml = Seed.Replace("        storage:\n          size: 100Gi", "        storage:\n          - size: 1Gi\n          - name: data\n            size: 100Gi\n            attributes:\n              persistent: true", StringComparison.Ordinal);
        Assert.Contains(Invalid(yaml).Errors, x => x.Message.Contains("needs a mount", StringComparison.Ordinal));
        var mounted = yaml.Replace("    expose:", "    params:\n      storage:\n        data:\n          mount: /data\n    expose:", StringComparison.Ordinal);
        var doc = SdlParser.Parse(mounted);
        Assert.Equal("/data", doc.Services[0].Params!.Storage.Single().Mount);
    }

    [Fact]
    public void Leased_ip_exposures_must_be_global_and_declared()
    {
        var yaml = Seed.Replace("version: \"2.0\"", "version: \"2.1\"\nendpoints:\n  myip:\n    kind: ip", StringComparison.Ordinal)
            .Replace("          - global: true", "          - global: true\n            ip: myip", StringComparison.Ordinal);
        var doc = SdlParser.Parse(yaml);
        Assert.Equal(["myip"], doc.Endpoints);
        var group = SdlCompiler.Compile(doc).Groups.Single();
        Assert.Contains(group.Resources[0].Resource.Endpoints, e => e.Kind == Protos.BaseResourcesV1Beta4.Endpoint.Types.Kind.LeasedIp && e.SequenceNumber == 1);

        Assert.Contains(Invalid(yaml.Replace("ip: myip", "ip: other", StringComparison.Ordinal)).Errors, x => x.Message.Contains("unknown endpoint", StringComparison.Ordinal));
        Assert.Contains(Invalid(yaml.Replace("          - global: true\n            ip: myip", "          - global: false\n            ip: myip", StringComparison.Ordinal)).Errors, x => x.Path.EndsWith("/global", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_yaml_is_reported_by_position_without_quoting_the_text()
    {
        const string secret = "hf_SECRETSECRETSECRET";
        var e = Invalid(Seed.Replace("      - HF_TOKEN=", "      - HF_TOKEN=" + secret + "\n     - : [", StringComparison.Ordinal));
        SecretScan.NoSecret(e.Message, secret);
        Assert.Contains("line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Env_values_never_appear_in_errors_or_in_ToString()
    {
        const string secret = "fk_TOPSECRETVALUE";
        var yaml = Seed.Replace("      - FLOCK_API_KEY=", "      - FLOCK_API_KEY=" + secret, StringComparison.Ordinal);
        var doc = SdlParser.Parse(yaml);
        SecretScan.NoSecret(doc.ToString(), secret);
        SecretScan.NoSecret(doc.Services[0].ToString(), secret);
        SecretScan.NoSecret(SdlCompiler.Compile(doc).ToString(), secret);
        var e = Invalid(yaml.Replace("version: \"2.0\"", "version: \"9\"", StringComparison.Ordinal));
        SecretScan.NoSecret(e.ToString(), secret);
    }

    [Fact]
    public void Plain_and_quoted_scalars_keep_the_reference_types()
    {
        var yaml = Seed.Replace("          amount: 10000", "          amount: 10000.50", StringComparison.Ordinal)
            .Replace("  placement:\n    akash:\n", "  placement:\n    akash:\n      attributes:\n        tier: 2\n        audited: true\n        region: \"007\"\n", StringComparison.Ordinal);
        var placement = SdlParser.Parse(yaml).Placements.Single();
        Assert.Equal("10000.5", placement.Pricing.Single().Amount);
        Assert.Equal([new SdlAttribute("tier", "2"), new SdlAttribute("audited", "true"), new SdlAttribute("region", "007")], placement.Attributes);
    }

    [Theory]
    [InlineData("8", 8000UL)]
    [InlineData("\"500m\"", 500UL)]
    [InlineData("0.5", 500UL)]
    [InlineData("\"1.5\"", 1500UL)]
    public void Cpu_units_become_millicores(string units, ulong millis)
    {
        var doc = SdlParser.Parse(Seed.Replace("          units: 8", "          units: " + units, StringComparison.Ordinal));
        Assert.Equal(millis, doc.Compute.Single().CpuMillis);
    }

    [Theory]
    [InlineData("24Gi", 25769803776UL)]
    [InlineData("512Mi", 536870912UL)]
    [InlineData("1.5Gi", 1610612736UL)]
    [InlineData("2G", 2000000000UL)]
    [InlineData("1k", 1000UL)]
    [InlineData("1Ki", 1024UL)]
    public void Sizes_become_bytes(string size, ulong bytes) => Assert.Equal(bytes, SdlQuantity.Bytes(size));
}

public class SdlDocumentTests
{
    [Fact]
    public void A_document_built_in_code_gets_the_same_cross_reference_checks()
    {
        var doc = new SdlDocument(
            "2.0",
            [new SdlService("web", "nginx", null, null, null, [], null, null)],
            [new SdlComputeProfile("web", 1000, null, 1 << 30, [new SdlStorage(null, 1 << 30, null)], null)],
            [new SdlPlacement("dc", null, null, null, [new SdlPrice("web", "uact", "10")])],
            [new SdlDeployment("web", "elsewhere", "web", 1)],
            []);
        var e = Assert.Throws<SdlException>(() => SdlCompiler.Compile(doc));
        Assert.Contains(e.Errors, x => x.Message.Contains("placement \"elsewhere\"", StringComparison.Ordinal));

        var fixedDoc = doc with { Deployments = [new SdlDeployment("web", "dc", "web", 2)] };
        var group = SdlCompiler.Compile(fixedDoc).Groups.Single();
        Assert.Equal(("dc", 2u), (group.Name, group.Resources.Single().Count));
    }
}
