package bianzhi;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the JNI library of libbianzhi, once, before the first native call.
 *
 * <p>If the system property {@code bianzhi.library} names a file, that file is
 * loaded ({@link System#load}); otherwise {@code libbianzhi_jni.so} is looked
 * up on {@code java.library.path} ({@link System#loadLibrary}); Debian's JDK
 * searches {@code /usr/lib/<triplet>/jni}, where {@code meson install} puts it
 * for {@code --prefix=/usr} (and the {@code libbianzhi-jni} package). When it
 * cannot be loaded, the {@link UnsatisfiedLinkError} names every file tried,
 * whether it exists, the {@code java.library.path} and the loader's own
 * reason (a missing {@code libbianzhi.so.1} shows there).
 * Also converts strings to and from the library's UTF-8.
 */
final class NativeLoader {
    private static final String NAME = "bianzhi_jni";
    private static boolean loaded;

    private NativeLoader() {}

    /** Load the JNI library if not yet loaded. */
    static synchronized void load() {
        if (loaded)
            return;
        String file = System.getProperty("bianzhi.library");
        String path = System.getProperty("java.library.path", "");
        List<String> tried = new ArrayList<>();
        try {
            if (file != null && !file.isEmpty()) {
                tried.add(file);
                System.load(file);
            } else {
                String lib = System.mapLibraryName(NAME);
                for (String dir : path.split(File.pathSeparator, -1))
                    tried.add(new File(dir.isEmpty() ? "." : dir, lib).getPath());
                System.loadLibrary(NAME);
            }
        } catch (UnsatisfiedLinkError e) {
            StringBuilder m = new StringBuilder("libbianzhi: cannot load the JNI library ");
            m.append(System.mapLibraryName(NAME)).append("; tried:");
            for (String t : tried)
                m.append("\n  ").append(t).append(new File(t).exists() ? " (exists, failed to load)" : " (not found)");
            m.append("\njava.library.path=").append(path);
            if (file != null && !file.isEmpty())
                m.append("\nbianzhi.library=").append(file);
            m.append("\ncause: ").append(e.getMessage());
            m.append("\nInstall libbianzhi-jni (Debian: /usr/lib/<triplet>/jni), or run java with"
                    + " -Djava.library.path=<dir of libbianzhi_jni.so> or -Dbianzhi.library=<file>.");
            UnsatisfiedLinkError u = new UnsatisfiedLinkError(m.toString());
            u.initCause(e);
            throw u;
        }
        loaded = true;
    }

    /** A Java string as NUL-terminated UTF-8 for the C library; null stays null. */
    static byte[] utf8(String s) {
        if (s == null)
            return null;
        if (s.indexOf('\0') >= 0)
            throw new InvalidArgumentException("a text may not contain NUL characters (C would cut it there): "
                    + s.replace("\0", "\\0"));
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    /** UTF-8 from the C library as a Java string; null stays null. */
    static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
