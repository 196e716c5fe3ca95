using k8s.Models;

namespace Flock.Crds.Tests;

/// <summary>What kubectl, GitOps tools and users see of the CRDs: names, columns, status, descriptions.</summary>
public sealed class CrdShapeTests
{
    public static TheoryData<string> Kinds() => new() { "FlockTrainingNode", "FlockValidator" };

    [Theory]
    [InlineData("FlockTrainingNode", "ftn")]
    [InlineData("FlockValidator", "fv")]
    public void Kind_has_its_short_name_and_the_flock_category(string kind, string shortName)
    {
        var names = CommittedCrds.For(kind).Spec.Names;

        Assert.Equal([shortName], names.ShortNames);
        Assert.Equal(["flock"], names.Categories);
        Assert.Equal("Namespaced", CommittedCrds.For(kind).Spec.Scope);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Single_served_storage_version_with_status_subresource(string kind)
    {
        var version = Assert.Single(CommittedCrds.For(kind).Spec.Versions);

        Assert.Equal("v1alpha1", version.Name);
        Assert.True(version.Served && version.Storage);
        Assert.NotNull(version.Subresources?.Status);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_field_has_a_description_for_kubectl_explain(string kind)
    {
        var missing = new List<string>();
        Walk(Root(kind), "", missing);

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Printer_columns_show_phase_task_backend_staked_provider_price_and_age(string kind)
    {
        var columns = CommittedCrds.For(kind).Spec.Versions.Single().AdditionalPrinterColumns.Select(c => c.Name).ToList();

        Assert.Equal(
            ["Phase", kind == "FlockValidator" ? "Tasks" : "Task", "Backend", "Staked", "Provider", "Price", "Ready", "Reason", "Age"],
            columns);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_printer_column_points_at_a_field_of_the_schema(string kind)
    {
        foreach (var column in CommittedCrds.For(kind).Spec.Versions.Single().AdditionalPrinterColumns)
        {
            if (column.JsonPath.StartsWith(".metadata.", StringComparison.Ordinal)) continue;
            // .status.conditions[?(@.type=="Ready")].status → status, conditions, status
            var segments = System.Text.RegularExpressions.Regex.Replace(column.JsonPath, @"\[[^\]]*\]", "")
                .Split('.', StringSplitOptions.RemoveEmptyEntries);
            var schema = Root(kind);
            foreach (var segment in segments)
            {
                if (schema.Type == "array") schema = SchemaNodes.AsSchema(schema.Items);
                Assert.True(schema.Properties?.ContainsKey(segment) == true, $"{column.Name}: {column.JsonPath} has no field '{segment}'");
                schema = schema.Properties![segment];
            }
        }
    }

    [Fact]
    public void Condition_items_follow_metav1_condition()
    {
        var conditions = Root("FlockTrainingNode").Properties["status"].Properties["conditions"];
        var item = SchemaNodes.AsSchema(conditions.Items);

        Assert.Equal("map", conditions.XKubernetesListType);
        Assert.Equal(["type"], conditions.XKubernetesListMapKeys);
        Assert.Equal(["lastTransitionTime", "message", "reason", "status", "type"], item.Required);
        Assert.Equal(["True", "False", "Unknown"], item.Properties["status"].EnumProperty.Select(e => e.ToString()));
        Assert.Equal("date-time", item.Properties["lastTransitionTime"].Format);
        Assert.Equal(316, item.Properties["type"].MaxLength);
    }

    private static V1JSONSchemaProps Root(string kind) => CommittedCrds.For(kind).Spec.Versions.Single().Schema.OpenAPIV3Schema;

    private static void Walk(V1JSONSchemaProps schema, string path, List<string> missing)
    {
        foreach (var (name, child) in schema.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            var childPath = path.Length == 0 ? name : path + "." + name;
            if (string.IsNullOrWhiteSpace(child.Description)) missing.Add(childPath);
            Walk(child, childPath, missing);
            if (child.Items is not null) Walk(SchemaNodes.AsSchema(child.Items), childPath + "[]", missing);
            if (child.AdditionalProperties is { } values and not bool) Walk(SchemaNodes.AsSchema(values), childPath + "{}", missing);
        }
    }
}
