using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using PerfReference.LoadLab.Results;

namespace PerfReference.UnitTests.Docs;

/// <summary>
/// Every relative link and image in the README and under docs/ (and the deployment's README) points at a file of the
/// repository: a page that moved or a screenshot that was never taken is a broken promise to the reader. Links with a
/// scheme (https:, mailto:) and links within a page (#heading) are not checked here.
/// </summary>
public sealed class DocumentLinksTests
{
    private static readonly string Root = RepositoryRoot.Find() ?? throw new InvalidOperationException("No repository above the test's folder.");

    public static TheoryData<string> Documents()
    {
        var documents = new TheoryData<string>();
        foreach (var file in new[] { "README.md", Path.Combine("deploy", "kubernetes", "README.md") }
                     .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories)
                         .Select(path => Path.GetRelativePath(Root, path)))
                     .Order(StringComparer.Ordinal))
        {
            documents.Add(file);
        }

        return documents;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryRelativeLinkResolves(string document)
    {
        var path = Path.Combine(Root, document);
        var broken = RelativeTargets(File.ReadAllText(path))
            .Where(target => !Exists(Path.GetDirectoryName(path)!, target))
            .ToList();

        Assert.True(broken.Count == 0, $"{document} links to what does not exist: {string.Join(", ", broken)}");
    }

    [Fact]
    public void LinksInsideCodeAreNotLinks()
    {
        var targets = RelativeTargets("""
            [a page](docs/a.md) and ![a picture](img/b.png "title") and [an anchor](#top) and [a site](https://example.org)

            ```
            [not a link](nowhere.md)
            ```
            """);

        Assert.Equal(["docs/a.md", "img/b.png"], targets);
    }

    /// <summary>The relative targets of a Markdown text's links and images, without their #fragment.</summary>
    private static List<string> RelativeTargets(string markdown) =>
        Markdown.Parse(markdown, new MarkdownPipelineBuilder().UseAdvancedExtensions().Build())
            .Descendants<LinkInline>()
            .Select(link => link.Url ?? "")
            .Where(url => url.Length > 0 && !url.StartsWith('#') && !url.Contains(':'))
            .Select(url => Uri.UnescapeDataString(url.Split('#', 2)[0]))
            .ToList();

    private static bool Exists(string directory, string target)
    {
        var full = Path.GetFullPath(Path.Combine(directory, target));
        return File.Exists(full) || Directory.Exists(full);
    }
}
