namespace Flock.Operator.Runtime.Client;

/// <summary>The built-in kinds the runtime and its users read and write, declared once.</summary>
public static class BuiltInKinds
{
    public static readonly ResourceKind Pod = new("", "v1", "pods", "Pod");
    public static readonly ResourceKind Secret = new("", "v1", "secrets", "Secret");
    public static readonly ResourceKind ConfigMap = new("", "v1", "configmaps", "ConfigMap");
    public static readonly ResourceKind Event = new("", "v1", "events", "Event");
    public static readonly ResourceKind PersistentVolumeClaim = new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim");
    public static readonly ResourceKind Node = new("", "v1", "nodes", "Node", Namespaced: false);
    public static readonly ResourceKind Deployment = new("apps", "v1", "deployments", "Deployment");
    public static readonly ResourceKind Job = new("batch", "v1", "jobs", "Job");
}
