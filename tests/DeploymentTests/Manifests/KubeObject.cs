using YamlDotNet.RepresentationModel;

namespace PerfReference.DeploymentTests.Manifests;

/// <summary>One object of a rendered overlay, read as YAML: its kind, its name and the document itself.</summary>
public sealed record KubeObject(string Kind, string Name, YamlMappingNode Node)
{
    private static readonly string[] Workloads = ["Deployment", "StatefulSet", "Job"];

    public bool IsWorkload => Workloads.Contains(Kind);

    public YamlMappingNode Spec => Node.Map("spec");

    /// <summary>A workload's pod template (its metadata and spec).</summary>
    public YamlMappingNode PodTemplate => Spec.Map("template");

    public YamlMappingNode PodSpec => PodTemplate.Map("spec");

    public IReadOnlyDictionary<string, string> PodLabels => PodTemplate.Map("metadata").Strings("labels");

    /// <summary>The containers that run the workload (not its init containers).</summary>
    public IReadOnlyList<Container> MainContainers => [.. PodSpec.Maps("containers").Select(c => new Container(this, c, IsInit: false))];

    /// <summary>Every container of the pod, init containers first.</summary>
    public IReadOnlyList<Container> AllContainers => [.. PodSpec.Maps("initContainers").Select(c => new Container(this, c, IsInit: true)), .. MainContainers];

    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>A container of a workload's pod.</summary>
public sealed record Container(KubeObject Workload, YamlMappingNode Node, bool IsInit)
{
    public string Name => Node.Text("name") ?? "";

    public string Image => Node.Text("image") ?? "";

    public IReadOnlyList<YamlMappingNode> Env => Node.Maps("env");

    public IReadOnlyList<string> EnvNames => [.. Env.Select(e => e.Text("name") ?? "")];

    public IReadOnlyList<string> Args => Node.Texts("args");

    /// <summary>Our own images (the projects built as containers), as opposed to PostgreSQL, Redis or the dashboard.</summary>
    public bool IsOurs => Image.StartsWith("perfreference/", StringComparison.Ordinal);

    public override string ToString() => $"{Workload}, {(IsInit ? "init container" : "container")} {Name}";
}
