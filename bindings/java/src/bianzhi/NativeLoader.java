package bianzhi;

import java.nio.charset.StandardCharsets;

/**
 * Loads the JNI library of libbianzhi, once, before the first native call.
 *
 * <p>If the system property {@code bianzhi.library} names a file, that file is
 * loaded ({@link System#load}); otherwise {@code libbianzhi_jni.so} is looked
 * up on {@code java.library.path} ({@link System#loadLibrary}); Debian's JDK
 * searches {@code /usr/lib/<triplet>/jni}, where {@code meson install} puts it.
 * Also converts strings to and from the library's UTF-8.
 */
final class NativeLoader {
    private static boolean loaded;

    private NativeLoader() {}

    /** Load the JNI library if not yet loaded. */
    static synchronized void load() {
        if (loaded)
            return;
        String file = System.getProperty("bianzhi.library");
        if (file != null && !file.isEmpty())
            System.load(file);
        else
            System.loadLibrary("bianzhi_jni");
        loaded = true;
    }

    /** A Java string as NUL-terminated UTF-8 for the C library; null stays null. */
    static byte[] utf8(String s) {
        if (s == null)
            return null;
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
