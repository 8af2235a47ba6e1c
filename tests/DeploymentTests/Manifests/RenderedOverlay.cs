using System.Text;
using YamlDotNet.RepresentationModel;

namespace PerfReference.DeploymentTests.Manifests;

/// <summary>What <c>kubectl kustomize deploy/kubernetes/overlays/&lt;name&gt;</c> rendered: every object, as applied.</summary>
public sealed class RenderedOverlay(string name, IReadOnlyList<KubeObject> objects, string file)
{
    public string Name { get; } = name;

    /// <summary>The rendered YAML on disk.</summary>
    public string File { get; } = file;

    public IReadOnlyList<KubeObject> Objects { get; } = objects;

    public IEnumerable<KubeObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public KubeObject Single(string kind, string name) =>
        Assert.Single(Objects, o => o.Kind == kind && o.Name == name);

    public IEnumerable<KubeObject> Workloads => Objects.Where(o => o.IsWorkload);

    public IEnumerable<Container> Containers => Workloads.SelectMany(w => w.AllContainers);

    /// <summary>The generated ConfigMap of shared settings (kustomize appends a hash of its content to the name).</summary>
    public IReadOnlyDictionary<string, string> Settings =>
        Assert.Single(OfKind("ConfigMap"), c => c.Name.StartsWith("perfreference-settings", StringComparison.Ordinal)).Node.Strings("data");

    /// <summary>
    /// The value a container's environment variable takes: its literal, or the key of the ConfigMap it refers to;
    /// null when the container does not set it (or takes it from a Secret or the pod).
    /// </summary>
    public string? EnvValue(Container container, string variable)
    {
        var entry = container.Env.FirstOrDefault(e => e.Text("name") == variable);
        if (entry is null)
        {
            return null;
        }

        if (entry.Text("value") is { } literal)
        {
            return literal;
        }

        var reference = entry.Path("valueFrom", "configMapKeyRef");
        var configMap = OfKind("ConfigMap").SingleOrDefault(c => c.Name == reference.Text("name"));
        return configMap?.Node.Strings("data").GetValueOrDefault(reference.Text("key") ?? "");
    }

    /// <summary>Each Secret's keys and values, decoded.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Secrets => OfKind("Secret").ToDictionary(
        s => s.Name,
        s => (IReadOnlyDictionary<string, string>)s.Node.Strings("data").ToDictionary(pair => pair.Key, pair => Encoding.UTF8.GetString(Convert.FromBase64String(pair.Value)))
            .Concat(s.Node.Strings("stringData")).ToDictionary());

    public static RenderedOverlay Load(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            stream.Load(reader);
        }

        var objects = stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()
            .Select(node => new KubeObject(node.Text("kind") ?? "", node.Map("metadata").Text("name") ?? "", node))
            .ToArray();
        return new RenderedOverlay(System.IO.Path.GetFileNameWithoutExtension(file), objects, file);
    }

    public override string ToString() => Name;
}
