using System.Text.Json.Nodes;
using Flock.Akash.Sdl;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.Akash;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.FlockTasks;
using Flock.Operator.Workers;
using k8s.Models;

namespace Flock.Operator.Tests.Workers;

/// <summary>
/// spec.module runs FLock-validator as its entrypoint reads it (environment_entrypoint.py: the module as first argument,
/// --task_ids comma-separated, FLOCK_API_KEY and HF_TOKEN from the environment; llm_judge also OPENAI_BASE_URL and
/// OPENAI_API_KEY), the same in-cluster and on Akash, and the module decides which task type the validator serves.
/// </summary>
public sealed class ValidatorModuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);

    private static FlockValidator Validator(string? module, LlmJudgeSpec? judge = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "judge", NamespaceProperty = "team-a", Uid = "uid-2", Generation = 1 },
        Spec = new FlockValidatorSpec
        {
            TaskIds = [7, 8],
            Image = "registry.example/me/flock-validator:2026.12",
            Module = module,
            LlmJudge = judge,
            Credentials = new Credentials
            {
                FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" },
                HuggingFace = new HuggingFaceCredentials { SecretName = "hf" },
            },
            Staking = new StakingSpec { Address = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c" },
            Placement = new PlacementSpec
            {
                Mode = PlacementMode.Akash,
                Akash = new AkashPlacement { AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" }, MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "10000" } },
            },
        },
    };

    private static readonly LlmJudgeSpec Judge = new() { ApiKey = new SecretKeySelector { Name = "flock-platform", Key = "key" } };

    [Fact]
    public void A_module_becomes_the_containers_arguments_and_llm_judge_gets_the_openai_pair()
    {
        var profile = WorkerProfile.For(Validator("llm_judge", Judge));

        var container = InClusterWorkloadBuilder.Build(profile, "v1", running: true).Deployment.Spec.Template.Spec.Containers.Single();

        Assert.Equal(["llm_judge", "--task_ids", "7,8"], container.Args);
        Assert.Equal("https://api.flock.io/v1", container.Env.Single(e => e.Name == "OPENAI_BASE_URL").Value);
        var key = container.Env.Single(e => e.Name == "OPENAI_API_KEY").ValueFrom.SecretKeyRef;
        Assert.Equal(("flock-platform", "key"), (key.Name, key.Key));
        Assert.Contains(("flock-platform", "key"), WorkerEnvironment.SecretReferences(profile)); // checked before the worker starts
    }

    [Fact]
    public void Without_a_module_the_image_keeps_its_own_entrypoint_and_no_openai_pair()
    {
        var spec = Validator(null).Spec with { Image = FlockValidatorSpec.DefaultImage, LlmJudge = Judge };
        var container = InClusterWorkloadBuilder.Build(WorkerProfile.For(new FlockValidator { Metadata = Validator(null).Metadata, Spec = spec }), "v1", running: true)
            .Deployment.Spec.Template.Spec.Containers.Single();

        Assert.Null(container.Args);
        Assert.DoesNotContain(container.Env, e => e.Name.StartsWith("OPENAI_", StringComparison.Ordinal));
    }

    [Fact]
    public void On_akash_the_sdl_and_the_manifest_carry_the_same_arguments()
    {
        var profile = WorkerProfile.For(Validator("rl"));
        var secrets = WorkerEnvironment.For(profile).Where(e => e.ValueFrom?.SecretKeyRef is not null).ToDictionary(e => e.Name, _ => "s3cret");

        var request = AkashSdlRequests.For(profile, secrets);
        var rendered = SdlRenderer.Render(request);
        var parsed = SdlParser.Parse(rendered.Yaml).Services.Single();
        var manifest = JsonNode.Parse(SdlRenderer.Compile(request).ManifestJson)!;

        Assert.Equal(["rl", "--task_ids", "7,8"], parsed.Args);
        Assert.Equal(["rl", "--task_ids", "7,8"], manifest[0]!["services"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    private static TaskSnapshot Read(long id, string type) => new(id, FlockTaskParser.Parse(
        $$"""{"id": {{id}}, "status": "submission_phase", "final_validation_ends_at": "2026-12-20T00:00:00Z", "task_type": "{{type}}"}""", id), Now, null);

    [Theory]
    [InlineData("lora", "training")]
    [InlineData("rl", "reinforcement_learning")]
    [InlineData("llm_judge", "llm_evaluation")]
    public void A_module_serves_its_own_task_type(string module, string type)
    {
        var verdict = TaskJudge.Judge(WorkerProfile.For(Validator(module, Judge)), [Read(7, type), Read(8, type)], Now);

        Assert.False(verdict.Unservable);
        Assert.Equal("ValidationOpen", verdict.Reason);
    }

    [Fact]
    public void A_module_on_a_task_of_another_type_is_held_and_told_which_module_serves_it()
    {
        var verdict = TaskJudge.Judge(WorkerProfile.For(Validator("lora")), [Read(7, "training"), Read(8, "llm_evaluation")], Now);

        Assert.True(verdict.Unservable);
        Assert.Equal("TaskTypeUnsupported", verdict.Reason);
        Assert.Contains("task 8 is a llm_evaluation task", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("module llm_judge", verdict.Message, StringComparison.Ordinal);
    }
}
