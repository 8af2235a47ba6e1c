using System.Text.RegularExpressions;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.Architecture;

/// <summary>
/// Two rules of the source's shape that a reviewer cannot see in a diff (issue 23): no type name is defined twice under
/// src/ (outside generated migrations) — two <c>RuntimeSample</c>s in two projects read as one thing and drift apart — and
/// the namespaces of each project import each other without a loop (a loop is what made the lab one block that nobody
/// could lift a part out of). Projects cannot reference each other in a loop at all: MSBuild refuses to build that.
/// </summary>
public sealed partial class SourceStructureTests
{
    private static readonly string Source = Path.Combine(
        RepositoryRoot.Find() ?? throw new InvalidOperationException("No repository above the test's folder."), "src");

    [Fact]
    public void NoTypeNameIsDefinedTwice()
    {
        var definitions = SourceFiles()
            .SelectMany(file => TypeDeclaration().Matches(file.Text)
                // A partial type is one type however many files declare it: count it once per namespace.
                .Select(match => (Name: match.Groups["name"].Value, Where: match.Groups["partial"].Success ? file.Namespace : file.Path)))
            .Distinct()
            .GroupBy(definition => definition.Name)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(definition => definition.Where))}")
            .ToArray();

        Assert.True(definitions.Length == 0, "Defined more than once:\n" + string.Join('\n', definitions));
    }

    [Fact]
    public void NoNamespacesImportEachOtherInALoop()
    {
        var imports = SourceFiles()
            .SelectMany(file => ImportDirective().Matches(file.Text)
                .Select(match => match.Groups["namespace"].Value)
                .Where(imported => imported != file.Namespace)
                .Select(imported => (From: file.Namespace, To: imported)))
            .Distinct()
            .ToLookup(edge => edge.From, edge => edge.To);

        var loops = Loops(imports).Select(loop => string.Join(" → ", loop)).ToArray();

        Assert.True(loops.Length == 0, "Namespaces in a loop:\n" + string.Join('\n', loops));
    }

    [Fact]
    public void AnImportLoopIsFound()
    {
        var imports = new[] { ("A", "B"), ("B", "C"), ("C", "A"), ("C", "D") }.ToLookup(edge => edge.Item1, edge => edge.Item2);

        Assert.Equal(["A → B → C → A"], Loops(imports).Select(loop => string.Join(" → ", loop)));
    }

    /// <summary>One loop per namespace that starts one (depth-first, each loop reported from its first namespace in order).</summary>
    private static IEnumerable<IReadOnlyList<string>> Loops(ILookup<string, string> imports)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in imports.Select(group => group.Key).Order(StringComparer.Ordinal))
        {
            var path = new List<string>();
            if (FindLoop(start) is { } loop)
            {
                done.UnionWith(loop); // the same loop seen from its other namespaces is not another loop
                yield return loop;
            }

            IReadOnlyList<string>? FindLoop(string current)
            {
                if (path.IndexOf(current) is var at and >= 0)
                {
                    return [.. path[at..], current];
                }

                if (done.Contains(current))
                {
                    return null;
                }

                path.Add(current);
                foreach (var next in imports[current].Order(StringComparer.Ordinal))
                {
                    if (FindLoop(next) is { } found)
                    {
                        return found;
                    }
                }

                path.RemoveAt(path.Count - 1);
                done.Add(current);
                return null;
            }
        }
    }

    private static IEnumerable<(string Path, string Namespace, string Text)> SourceFiles() =>
        from path in Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
        let relative = Path.GetRelativePath(Source, path)
        where !relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "Migrations")
        let text = File.ReadAllText(path)
        let declared = FileNamespace().Match(text)
        where declared.Success
        select (relative, declared.Groups["namespace"].Value, text);

    [GeneratedRegex(@"^namespace\s+(?<namespace>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^using\s+(?<namespace>PerfReference[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex ImportDirective();

    [GeneratedRegex(@"^\s*(?:(?:public|internal|private|protected|file|sealed|static|abstract|readonly|ref|unsafe|new)\s+)*(?<partial>partial\s+)?(?:class|record(?:\s+struct|\s+class)?|struct|interface|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
