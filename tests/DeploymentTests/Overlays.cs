namespace PerfReference.DeploymentTests;

/// <summary>Every overlay of deploy/kubernetes, as test data: a new overlay is held to the same rules at once.</summary>
public static class Overlays
{
    public static TheoryData<string> All => new(Directory.GetDirectories(Repository.Overlays).Select(d => Path.GetFileName(d)).Order());
}
