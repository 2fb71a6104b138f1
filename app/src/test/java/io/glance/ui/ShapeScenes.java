package io.glance.ui;

import io.glance.vision.OpenCvLibrary;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.videoio.VideoWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test pictures in the demo model's world (coloured circles, squares and triangles on a light background),
 * drawn with OpenCV: single images and an MJPG AVI that stands in for a camera. {@code main} writes a set
 * for demos and screenshots.
 */
public final class ShapeScenes {
    /** BGR colours close to the demo model's nominal ones. */
    public static final Scalar RED = new Scalar(35, 30, 225);
    public static final Scalar BLUE = new Scalar(220, 75, 35);
    public static final Scalar GREEN = new Scalar(60, 165, 35);
    public static final Scalar YELLOW = new Scalar(35, 215, 245);

    private ShapeScenes() {
    }

    /** A light scene with a red circle on the left and a blue square on the right. */
    public static Mat circleAndSquare(int width, int height, double shift) {
        OpenCvLibrary.ensureLoaded();
        Mat scene = new Mat(height, width, org.opencv.core.CvType.CV_8UC3, new Scalar(236, 240, 242));
        int unit = Math.min(width, height);
        Imgproc.circle(scene, new Point(width * 0.3 + shift, height * 0.5), unit / 6, RED, -1, Imgproc.LINE_AA);
        int side = unit / 3;
        Point corner = new Point(width * 0.62, height * 0.5 - side / 2.0);
        Imgproc.rectangle(scene, corner, new Point(corner.x + side, corner.y + side), BLUE, -1);
        return scene;
    }

    /** A single triangle of the given colour. */
    public static Mat triangle(int width, int height, Scalar colour) {
        OpenCvLibrary.ensureLoaded();
        Mat scene = new Mat(height, width, org.opencv.core.CvType.CV_8UC3, new Scalar(240, 240, 240));
        int unit = Math.min(width, height);
        MatOfPoint points = new MatOfPoint(new Point(width / 2.0, height / 2.0 - unit * 0.3),
                new Point(width / 2.0 - unit * 0.3, height / 2.0 + unit * 0.25),
                new Point(width / 2.0 + unit * 0.3, height / 2.0 + unit * 0.25));
        Imgproc.fillPoly(scene, List.of(points), colour, Imgproc.LINE_AA);
        return scene;
    }

    /** Writes {@code picture} to {@code file} (format from the extension) and releases it. */
    public static Path write(Mat picture, Path file) {
        if (!Imgcodecs.imwrite(file.toString(), picture)) {
            throw new IllegalStateException("cannot write " + file);
        }
        picture.release();
        return file;
    }

    /** An MJPG AVI of the circle-and-square scene with the circle drifting a little. */
    public static Path video(Path file, int width, int height, double fps, int frames) {
        OpenCvLibrary.ensureLoaded();
        VideoWriter writer = new VideoWriter(file.toString(), org.opencv.videoio.Videoio.CAP_OPENCV_MJPEG, VideoWriter.fourcc('M', 'J', 'P', 'G'), fps,
                new Size(width, height));
        if (!writer.isOpened()) {
            throw new IllegalStateException("cannot write " + file);
        }
        for (int i = 0; i < frames; i++) {
            Mat frame = circleAndSquare(width, height, 10 * Math.sin(i * 2 * Math.PI / frames));
            writer.write(frame);
            frame.release();
        }
        writer.release();
        return file;
    }

    /** Writes a demo set into the folder given: camera.avi (1280×720, 60 fps), two stills and a text file. */
    public static void main(String[] args) throws IOException {
        Path folder = Files.createDirectories(Path.of(args[0]));
        video(folder.resolve("camera.avi"), 1280, 720, 60, 120);
        write(triangle(640, 480, GREEN), folder.resolve("green-triangle.png"));
        write(triangle(800, 600, YELLOW), folder.resolve("yellow-triangle.jpg"));
        write(circleAndSquare(640, 480, 0), folder.resolve("circle-and-square.png"));
        Files.writeString(folder.resolve("notes.txt"), "not an image");
    }
}
