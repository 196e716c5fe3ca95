using Flock.Akash.Chain;
using Flock.Akash.Protos.BaseResourcesV1Beta4;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Sdl;

namespace Flock.Akash.Tests;

public class SdlRendererTests
{
    private static WorkerSdlRequest Request => new()
    {
        ServiceName = "flock-train",
        Image = "public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash",
        Env = [new("FLOCK_API_KEY", "fk_secret_value"), new("HF_TOKEN", "hf_secret_value"), new("TASK_ID", "12")],
        GpuModels = ["rtx4090", "a100", "h100"],
        PriceAmount = "10000",
    };

    private static ResourceUnit Unit(WorkerSdlRequest r) => SdlRenderer.Compile(r).Groups.Single().Resources.Single();

    [Fact]
    public void Defaults_price_in_uact_and_expose_3000_as_80_globally()
    {
        var doc = SdlParser.Parse(SdlRenderer.Render(Request).Yaml);
        Assert.Equal("uact", doc.Placements.Single().Pricing.Single().Denom);
        var expose = doc.Services.Single().Expose.Single();
        Assert.Equal((3000u, 80u, true), (expose.Port, expose.As!.Value, expose.To.Single().Global));
        Assert.Equal(Endpoint.Types.Kind.SharedHttp, Unit(Request).Resource.Endpoints.Single().Kind);
    }

    [Fact]
    public void Env_values_reach_the_manifest_exactly_even_with_yaml_and_json_special_characters()
    {
        const string tricky = "a\"b\\c <d> & e: f # g\n\t'h' \u00e9 {x}";
        var compiled = SdlRenderer.Compile(Request with { Env = [new("EXTRA", tricky)] });
        var manifest = System.Text.Json.JsonDocument.Parse(compiled.ManifestJson).RootElement;
        Assert.Equal("EXTRA=" + tricky, manifest[0].GetProperty("services")[0].GetProperty("env")[0].GetString());
        Assert.Contains("\\u003cd\\u003e \\u0026", compiled.ManifestJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpu_models_are_written_sorted_with_ram_and_interface()
    {
        var unit = Unit(Request with { GpuMemory = "80Gi", GpuInterface = "sxm" });
        Assert.Equal(
            ["vendor/nvidia/model/a100/ram/80Gi/interface/sxm", "vendor/nvidia/model/h100/ram/80Gi/interface/sxm", "vendor/nvidia/model/rtx4090/ram/80Gi/interface/sxm"],
            unit.Resource.Gpu.Attributes.Select(a => a.Key));
        Assert.All(unit.Resource.Gpu.Attributes, a => Assert.Equal("true", a.Value));
    }

    [Fact]
    public void No_models_means_any_nvidia_model_and_zero_gpus_means_no_gpu()
    {
        Assert.Equal("vendor/nvidia/model/*", Unit(Request with { GpuModels = [] }).Resource.Gpu.Attributes.Single().Key);
        var none = Unit(Request with { GpuCount = 0, GpuModels = [] });
        Assert.Equal("0", none.Resource.Gpu.Units.Val.ToStringUtf8());
        Assert.Empty(none.Resource.Gpu.Attributes);
    }

    [Theory]
    [InlineData("8", "8000")]
    [InlineData("7500m", "7500")]
    [InlineData("0.25", "250")]
    public void Cpu_quantities_become_millicores(string cpu, string millis) =>
        Assert.Equal(millis, Unit(Request with { Cpu = cpu }).Resource.Cpu.Units.Val.ToStringUtf8());

    [Theory]
    [InlineData("24Gi", "24Gi", 25769803776UL)]
    [InlineData("1.5Gi", "1536Mi", 1610612736UL)]
    [InlineData("32G", "32G", 32000000000UL)]
    [InlineData("1500M", "1500M", 1500000000UL)]
    [InlineData("2147483648", "2Gi", 2147483648UL)]
    public void Sizes_are_written_in_an_exact_unit(string quantity, string written, ulong bytes)
    {
        Assert.Equal(written, SdlRenderer.Size(quantity, "Memory"));
        Assert.Equal(bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), Unit(Request with { Memory = quantity }).Resource.Memory.Quantity.Val.ToStringUtf8());
    }

    [Fact]
    public void Placement_attributes_signed_by_and_decimal_prices_reach_the_group_spec()
    {
        var auditor = SdlCorpus.Auditor(new Random(1));
        var compiled = SdlRenderer.Compile(Request with
        {
            Attributes = new Dictionary<string, string> { ["tier"] = "community", ["region"] = "us-west" },
            SignedByAnyOf = [auditor],
            PriceAmount = "1.50",
            PlacementName = "westcoast",
        });
        var group = compiled.Groups.Single();
        Assert.Equal("westcoast", group.Name);
        Assert.Equal(["region", "tier"], group.Requirements.Attributes.Select(a => a.Key));
        Assert.Equal([auditor], group.Requirements.SignedBy.AnyOf);
        Assert.Equal("1500000000000000000", group.Resources.Single().Price.Amount);
    }

    [Theory]
    [InlineData("Flock_Train")]
    [InlineData("")]
    public void Invalid_service_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => SdlRenderer.Render(Request with { ServiceName = name }));

    [Fact]
    public void Gpu_memory_must_be_whole_gibibytes_and_signed_by_must_be_akash_addresses()
    {
        Assert.Throws<ArgumentException>(() => SdlRenderer.Render(Request with { GpuMemory = "24G" }));
        Assert.Throws<ArgumentException>(() => SdlRenderer.Render(Request with { SignedByAllOf = ["cosmos1notakash"] }));
        Assert.Throws<ArgumentException>(() => SdlRenderer.Render(Request with { Memory = "1001" }));
    }

    [Fact]
    public void A_bad_env_name_is_reported_without_the_value()
    {
        var e = Assert.Throws<ArgumentException>(() => SdlRenderer.Render(Request with { Env = [new("BAD NAME", "hf_very_secret")] }));
        SecretScan.NoSecret(e.Message, "hf_very_secret");
    }

    [Fact]
    public void Requests_and_rendered_text_do_not_print_secrets()
    {
        var rendered = SdlRenderer.Render(Request);
        Assert.Contains("fk_secret_value", rendered.Yaml, StringComparison.Ordinal);
        SecretScan.NoSecret(rendered.ToString(), "fk_secret_value");
        SecretScan.NoSecret(Request.ToString(), "fk_secret_value");
        SecretScan.NoSecret(Request.Env[0].ToString(), "fk_secret_value");
        SecretScan.NoSecret(SdlRenderer.Compile(Request).ToString(), "hf_secret_value");
    }

    [Fact]
    public void Compiling_is_deterministic()
    {
        var a = SdlRenderer.Compile(Request);
        var b = SdlRenderer.Compile(Request);
        Assert.Equal(a.ManifestJson, b.ManifestJson);
        Assert.Equal(a.Version, b.Version);
        Assert.Equal(32, a.Version.Length);
        Assert.Equal(a.Groups, b.Groups);
    }

    [Fact]
    public void A_new_env_value_changes_the_manifest_version_but_not_the_group_spec()
    {
        var a = SdlRenderer.Compile(Request);
        var b = SdlRenderer.Compile(Request with { Env = [new("FLOCK_API_KEY", "rotated"), new("HF_TOKEN", "hf_secret_value"), new("TASK_ID", "12")] });
        Assert.NotEqual(a.Version, b.Version);
        Assert.Equal(a.Groups, b.Groups);
    }

    [Fact]
    public void The_deployment_message_carries_groups_hash_and_a_uact_deposit_from_balance()
    {
        var compiled = SdlRenderer.Compile(Request);
        var msg = AkashMessages.CreateDeployment("akash1owner", 42, compiled.Groups, compiled.Version, AkashMessages.Coin(500000, AkashNetwork.Uact));
        Assert.Equal(compiled.Version, msg.Hash.ToByteArray());
        Assert.Equal(Protos.BaseDepositV1.Source.Balance, msg.Deposit.Sources.Single());
        Assert.Throws<ArgumentException>(() => AkashMessages.CreateDeployment("akash1owner", 42, compiled.Groups, compiled.Version, AkashMessages.Coin(500000, AkashNetwork.Uakt)));
        Assert.Throws<ArgumentException>(() => AkashMessages.CreateDeployment("akash1owner", 42, compiled.Groups, new byte[31], AkashMessages.Coin(500000, AkashNetwork.Uact)));
    }
}
