using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Workers;
using k8s.Models;

namespace Flock.Operator.Tests.Backends.InCluster;

/// <summary>The Deployment and claim a user's resource becomes, field by field.</summary>
public sealed class InClusterWorkloadBuilderTests
{
    private static FlockTrainingNode TrainingNode() => new()
    {
        Metadata = new V1ObjectMeta { Name = "trainer", NamespaceProperty = "team-a", Uid = "uid-1", Generation = 1 },
        Spec = new FlockTrainingNodeSpec
        {
            TaskId = 12,
            Credentials = new Credentials
            {
                FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" },
                HuggingFace = new HuggingFaceCredentials { SecretName = "hf" },
            },
            Staking = new StakingSpec { Address = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c" },
            GitUrl = "https://github.com/example/data.git",
            Env = [new EnvVar { Name = "EPOCHS", Value = "3" }],
            Resources = new WorkerResources { Gpu = new GpuSpec { Count = 1, Models = ["h100", "rtx4090"] } },
            Cache = new CacheSpec { Size = "150Gi", StorageClassName = "fast" },
            Placement = new PlacementSpec
            {
                InCluster = new InClusterPlacement
                {
                    NodeSelector = new Dictionary<string, string> { ["pool"] = "gpu" },
                    Tolerations = [new Toleration { Key = "nvidia.com/gpu", Operator = TolerationOperator.Exists, Effect = TaintEffect.NoSchedule }],
                    PriorityClassName = "high",
                    RuntimeClassName = "nvidia",
                },
            },
        },
    };

    [Fact]
    public void Training_node_becomes_a_one_replica_recreate_deployment_owned_by_the_resource()
    {
        var deployment = InClusterWorkloadBuilder.Build(WorkerProfile.For(TrainingNode()), "abc", running: true).Deployment;

        Assert.Equal("trainer-trainer", deployment.Metadata.Name);
        Assert.Equal("team-a", deployment.Metadata.NamespaceProperty);
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
        var owner = Assert.Single(deployment.Metadata.OwnerReferences);
        Assert.Equal(("flock.io/v1alpha1", "FlockTrainingNode", "trainer", "uid-1", true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "flock-training-node", ["app.kubernetes.io/instance"] = "trainer" },
            deployment.Spec.Selector.MatchLabels);
        Assert.Equal("12", deployment.Spec.Template.Metadata.Labels["flock.io/task-id"]);
        Assert.Equal("flock-operator", deployment.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal("abc", deployment.Spec.Template.Metadata.Annotations["flock.io/secret-versions"]);
    }

    [Fact]
    public void Secrets_reach_the_worker_only_as_secret_key_references()
    {
        var env = InClusterWorkloadBuilder.Build(WorkerProfile.For(TrainingNode()), "abc", running: true).Deployment.Spec.Template.Spec.Containers[0].Env;

        Assert.Equal(["FLOCK_API_KEY", "HF_TOKEN", "HF_USERNAME", "HG_USERNAME", "TASK_ID", "GIT_URL", "HF_HOME", "EPOCHS"], env.Select(e => e.Name));
        Assert.Equal(("flock", "api-key"), (env[0].ValueFrom.SecretKeyRef.Name, env[0].ValueFrom.SecretKeyRef.Key));
        Assert.Equal(("hf", "token"), (env[1].ValueFrom.SecretKeyRef.Name, env[1].ValueFrom.SecretKeyRef.Key));
        Assert.Equal(("hf", "username"), (env[2].ValueFrom.SecretKeyRef.Name, env[2].ValueFrom.SecretKeyRef.Key));
        Assert.Equal(("hf", "username"), (env[3].ValueFrom.SecretKeyRef.Name, env[3].ValueFrom.SecretKeyRef.Key));
        Assert.All(env.Take(4), e => Assert.Null(e.Value));
        Assert.Equal("12", env[4].Value);
        Assert.Equal("/data/huggingface", env[6].Value);
    }

    [Fact]
    public void Validator_gets_comma_joined_task_ids_and_no_user_name()
    {
        var validator = new FlockValidator
        {
            Metadata = new V1ObjectMeta { Name = "val", NamespaceProperty = "team-a", Uid = "u" },
            Spec = new FlockValidatorSpec
            {
                TaskIds = [7, 8, 9],
                Credentials = new Credentials { FlockApiKey = new SecretKeySelector { Name = "f", Key = "k" }, HuggingFace = new HuggingFaceCredentials { SecretName = "hf" } },
                Staking = new StakingSpec { Address = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c" },
            },
        };

        var deployment = InClusterWorkloadBuilder.Build(WorkerProfile.For(validator), "x", running: true).Deployment;
        var container = deployment.Spec.Template.Spec.Containers[0];

        Assert.Equal("val-validator", deployment.Metadata.Name);
        Assert.Equal("ghcr.io/flock-io/llm-loss-validator:v1.1.2", container.Image);
        Assert.Equal("7,8,9", container.Env.Single(e => e.Name == "TASK_ID").Value);
        Assert.DoesNotContain(container.Env, e => e.Name is "HF_USERNAME" or "HG_USERNAME");
        Assert.Equal("7_8_9", deployment.Metadata.Labels["flock.io/task-id"]);
    }

    [Fact]
    public void Gpus_cpu_and_memory_become_requests_and_limits()
    {
        var resources = InClusterWorkloadBuilder.Build(WorkerProfile.For(TrainingNode()), "x", running: true).Deployment.Spec.Template.Spec.Containers[0].Resources;

        Assert.Equal("1", resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("1", resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("8", resources.Requests["cpu"].ToString());
        Assert.Equal("24Gi", resources.Requests["memory"].ToString());
        Assert.Equal("24Gi", resources.Limits["memory"].ToString());
    }

    [Fact]
    public void Scheduling_settings_and_gpu_models_shape_the_pod()
    {
        var pod = InClusterWorkloadBuilder.Build(WorkerProfile.For(TrainingNode()), "x", running: true).Deployment.Spec.Template.Spec;

        Assert.Equal("gpu", pod.NodeSelector["pool"]);
        Assert.Equal(("nvidia.com/gpu", "Exists", "NoSchedule"), (pod.Tolerations[0].Key, pod.Tolerations[0].OperatorProperty, pod.Tolerations[0].Effect));
        Assert.Equal("high", pod.PriorityClassName);
        Assert.Equal("nvidia", pod.RuntimeClassName);
        var requirement = Assert.Single(Assert.Single(pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms).MatchExpressions);
        Assert.Equal(("nvidia.com/gpu.product", "In"), (requirement.Key, requirement.OperatorProperty));
        Assert.Contains("NVIDIA-H100-80GB-HBM3", requirement.Values);
        Assert.Contains("NVIDIA-GeForce-RTX-4090", requirement.Values);
    }

    [Fact]
    public void The_cache_claim_is_mounted_as_hf_home()
    {
        var workload = InClusterWorkloadBuilder.Build(WorkerProfile.For(TrainingNode()), "x", running: true);
        var pod = workload.Deployment.Spec.Template.Spec;

        Assert.Equal("trainer-trainer-cache", workload.CacheClaim.Metadata.Name);
        Assert.Equal("150Gi", workload.CacheClaim.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("fast", workload.CacheClaim.Spec.StorageClassName);
        Assert.Equal(["ReadWriteOnce"], workload.CacheClaim.Spec.AccessModes);
        Assert.Equal("trainer-trainer-cache", pod.Volumes.Single(v => v.Name == "cache").PersistentVolumeClaim.ClaimName);
        Assert.Equal("/data", pod.Containers[0].VolumeMounts.Single(m => m.Name == "cache").MountPath);
    }

    [Fact]
    public void Not_running_scales_to_zero()
    {
        Assert.Equal(0, InClusterWorkloadBuilder.Build(WorkerProfile.For(TrainingNode()), "x", running: false).Deployment.Spec.Replicas);
    }

    [Fact]
    public void Minimum_gpu_memory_becomes_a_node_memory_requirement_in_mebibytes()
    {
        var affinity = GpuAffinity.For(new GpuSpec { Count = 1, MinMemory = "24Gi" })!;
        var requirement = Assert.Single(affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions);

        Assert.Equal(("nvidia.com/gpu.memory", "Gt", "24575"), (requirement.Key, requirement.OperatorProperty, requirement.Values[0]));
    }

    [Fact]
    public void No_gpu_no_affinity()
    {
        Assert.Null(GpuAffinity.For(new GpuSpec { Count = 0, Models = ["h100"] }));
    }

    [Theory]
    [InlineData("h100", "NVIDIA-H100-80GB-HBM3")]
    [InlineData("h200", "NVIDIA-H200")]
    [InlineData("a100", "NVIDIA-A100-SXM4-80GB")]
    [InlineData("a100", "NVIDIA-A100-PCIE-40GB")]
    [InlineData("l40s", "NVIDIA-L40S")]
    [InlineData("l40", "NVIDIA-L40")]
    [InlineData("l4", "NVIDIA-L4")]
    [InlineData("a40", "NVIDIA-A40")]
    [InlineData("a10", "NVIDIA-A10")]
    [InlineData("rtxa6000", "NVIDIA-RTX-A6000")]
    [InlineData("rtx6000ada", "NVIDIA-RTX-6000-Ada-Generation")]
    [InlineData("rtx8000", "Quadro-RTX-8000")]
    [InlineData("rtx4090", "NVIDIA-GeForce-RTX-4090")]
    [InlineData("rtx3090", "NVIDIA-GeForce-RTX-3090")]
    [InlineData("v100", "Tesla-V100-SXM2-16GB")]
    [InlineData("t4", "Tesla-T4")]
    [InlineData("p40", "Tesla-P40")]
    public void Gpu_model_maps_to_the_feature_discovery_product_label(string model, string product)
    {
        Assert.Contains(product, GpuProductLabels.For(model)!);
        Assert.Equal(model, GpuProductLabels.ModelOf(product));
    }

    [Fact]
    public void Every_model_of_the_akash_templates_is_known()
    {
        string[] templateModels = ["h100", "a100", "rtx3090", "rtx4090", "rtx8000", "rtxa6000", "a40", "p40"];

        Assert.Empty(GpuAffinity.UnknownModels(new GpuSpec { Models = templateModels }));
    }
}
