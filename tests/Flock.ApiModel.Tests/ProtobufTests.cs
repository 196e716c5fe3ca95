using Flock.Sandbox.ApiModel;
using static Flock.ApiModel.Tests.TestData;

namespace Flock.ApiModel.Tests;

public class ProtobufTests
{
    // Bodies kubectl 1.32 POSTs for `kubectl auth can-i patch ftn --subresource=status -n team-a`
    // and `kubectl auth can-i get /healthz` (Content-Type: application/vnd.kubernetes.protobuf).
    private const string CanIPatchStatus = "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSWQoQCgASABoAIgAqADIAOABCABI7CjkKBnRlYW0tYRIFcGF0Y2gaCGZsb2NrLmlvIgAqEmZsb2NrdHJhaW5pbmdub2RlczIGc3RhdHVzOgAaCAgAEgAaACAAGgAiAA==";
    private const string CanIGetHealthz = "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSLwoQCgASABoAIgAqADIAOABCABIREg8KCC9oZWFsdGh6EgNnZXQaCAgAEgAaACAAGgAiAA==";

    [Fact]
    public void Kubectl_can_i_body_decodes_to_the_review_json()
    {
        var review = KubernetesProtobuf.DecodeSelfSubjectAccessReview(Convert.FromBase64String(CanIPatchStatus));

        Assert.Equal("authorization.k8s.io/v1", review["apiVersion"]!.GetValue<string>());
        Assert.Equal("SelfSubjectAccessReview", review["kind"]!.GetValue<string>());
        Assert.Equal("""{"namespace":"team-a","verb":"patch","group":"flock.io","version":"","resource":"flocktrainingnodes","subresource":"status","name":""}""",
            review["spec"]!["resourceAttributes"]!.ToJsonString());
        Assert.Null(review["spec"]!["nonResourceAttributes"]);
    }

    [Fact]
    public void Decoded_review_is_answered_by_rbac()
    {
        var rbac = RbacAuthorizer.FromJson(ConfigObjects("config/rbac/role.yaml").Concat(ConfigObjects("config/rbac/role_binding.yaml")));
        var review = KubernetesProtobuf.DecodeSelfSubjectAccessReview(Convert.FromBase64String(CanIPatchStatus));

        Assert.True(SelfSubjectAccessReviews.Evaluate(rbac, UserInfo.ServiceAccount("flock-system", "flock-operator"), review)["status"]!["allowed"]!.GetValue<bool>());
        Assert.False(SelfSubjectAccessReviews.Evaluate(rbac, UserInfo.ServiceAccount("default", "app"), review)["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public void Non_resource_review_decodes_path_and_verb()
    {
        var review = KubernetesProtobuf.DecodeSelfSubjectAccessReview(Convert.FromBase64String(CanIGetHealthz));

        Assert.Equal("""{"path":"/healthz","verb":"get"}""", review["spec"]!["nonResourceAttributes"]!.ToJsonString());
    }

    [Fact]
    public void Content_type_and_envelope_are_checked()
    {
        Assert.True(KubernetesProtobuf.IsProtobuf("application/vnd.kubernetes.protobuf"));
        Assert.True(KubernetesProtobuf.IsProtobuf("application/vnd.kubernetes.protobuf; charset=utf-8"));
        Assert.False(KubernetesProtobuf.IsProtobuf("application/json"));
        Assert.Throws<FormatException>(() => KubernetesProtobuf.ReadEnvelope("{}"u8));
        Assert.Throws<FormatException>(() => KubernetesProtobuf.DecodeSelfSubjectAccessReview(Convert.FromBase64String(CanIGetHealthz)[..40]));
    }
}
