using System.Runtime.InteropServices;

namespace SalesPipeline.Delta;

/// <summary>A table on the local file system.</summary>
internal sealed class LocalLogStore : IDeltaLogStore
{
    private const int EEXIST = 17;

    private readonly string _root;

    public LocalLogStore(string root) => _root = Path.GetFullPath(root);

    public string Root => _root;

    private string Full(string path) => Path.Combine(_root, path.Replace('/', Path.DirectorySeparatorChar));

    public Task<IReadOnlyList<DeltaStoreEntry>> ListAsync(string directory, bool recursive, CancellationToken cancellationToken)
    {
        var dir = new DirectoryInfo(directory.Length == 0 ? _root : Full(directory));
        if (!dir.Exists) return Task.FromResult<IReadOnlyList<DeltaStoreEntry>>([]);
        var list = new List<DeltaStoreEntry>();
        var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        foreach (var f in dir.EnumerateFiles("*", option))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rel = Path.GetRelativePath(_root, f.FullName).Replace(Path.DirectorySeparatorChar, '/');
            try
            {
                list.Add(new DeltaStoreEntry(rel, f.Length, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)));
            }
            catch (FileNotFoundException)
            {
                // Another writer's temp file vanished between listing and stat: it was never part of the table.
            }
        }
        return Task.FromResult<IReadOnlyList<DeltaStoreEntry>>(list);
    }

    public Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(Full(path), cancellationToken);

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var target = Full(path);
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        if (File.Exists(target)) return false;
        // Write the whole entry to a hidden temp file first, so a crash never leaves a half-written log entry
        // under the real name; '_'-prefixed names are ignored by every Delta reader.
        var tmp = Path.Combine(dir, $"_commit_{Guid.NewGuid():N}.json.tmp");
        try
        {
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await fs.WriteAsync(content, cancellationToken);
                fs.Flush(flushToDisk: true);
            }
            // Publish atomically without ever replacing: link() fails with EEXIST when the version exists (a plain
            // rename() would silently overwrite the winner's commit). On Windows MoveFileEx without REPLACE_EXISTING does the same.
            if (OperatingSystem.IsWindows())
            {
                File.Move(tmp, target, overwrite: false);
                return true;
            }
            if (NativeMethods.link(tmp, target) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EEXIST) return false;
            throw new IOException($"Could not publish '{path}' (errno {errno}).");
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public async Task PutAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var target = Full(path);
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, FileOptions.Asynchronous))
        {
            await fs.WriteAsync(content, cancellationToken);
        }
        File.Move(tmp, target, overwrite: true);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var full = Full(path);
        if (File.Exists(full)) File.Delete(full);
        return Task.CompletedTask;
    }
}

internal static class NativeMethods
{
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    internal static extern int link(string oldpath, string newpath);
}
