package page

import (
	"image"
	"image/color"
	"math"
)

// LabelColors are the ten digits' colours on the latent map (Tableau 10,
// distinguishable and colour-blind aware).
var LabelColors = [10]color.RGBA{
	{0x4e, 0x79, 0xa7, 255}, {0xf2, 0x8e, 0x2b, 255}, {0xe1, 0x57, 0x59, 255}, {0x76, 0xb7, 0xb2, 255}, {0x59, 0xa1, 0x4f, 255},
	{0xed, 0xc9, 0x48, 255}, {0xb0, 0x7a, 0xa1, 255}, {0xff, 0x9d, 0xa7, 255}, {0x9c, 0x75, 0x5f, 255}, {0xba, 0xb0, 0xac, 255},
}

// Scatter is the latent map: n 2-D points with labels, fitted into a
// canvas of w×h pixels.
type Scatter struct {
	N              int
	Points         []float32
	Labels         []uint8
	W, H           int
	x0, x1, y0, y1 float64
	cell           int
	cols, rows     int
	cells          [][]int32 // points by pixel cell, for finding the nearest fast
}

// NewScatter lays the points out in a w×h canvas with a margin (at least
// one pixel: a hidden canvas measures 0).
func NewScatter(points []float32, labels []uint8, n, w, h int) *Scatter {
	w, h = max(w, 1), max(h, 1)
	s := &Scatter{N: n, Points: points, Labels: labels, W: w, H: h}
	s.x0, s.y0, s.x1, s.y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := 0; i < n; i++ {
		x, y := float64(points[2*i]), float64(points[2*i+1])
		s.x0, s.x1 = math.Min(s.x0, x), math.Max(s.x1, x)
		s.y0, s.y1 = math.Min(s.y0, y), math.Max(s.y1, y)
	}
	if !(s.x1 > s.x0) {
		s.x0, s.x1 = s.x0-1, s.x0+1
	}
	if !(s.y1 > s.y0) {
		s.y0, s.y1 = s.y0-1, s.y0+1
	}
	mx, my := (s.x1-s.x0)*0.04, (s.y1-s.y0)*0.04
	s.x0, s.x1, s.y0, s.y1 = s.x0-mx, s.x1+mx, s.y0-my, s.y1+my
	s.cell = 16
	s.cols, s.rows = (w+s.cell-1)/s.cell, (h+s.cell-1)/s.cell
	s.cells = make([][]int32, s.cols*s.rows)
	for i := 0; i < n; i++ {
		px, py := s.ToPixel(i)
		c := s.cellOf(px, py)
		s.cells[c] = append(s.cells[c], int32(i))
	}
	return s
}

func (s *Scatter) cellOf(px, py float64) int {
	cx := min(max(int(px)/s.cell, 0), s.cols-1)
	cy := min(max(int(py)/s.cell, 0), s.rows-1)
	return cy*s.cols + cx
}

// ToPixel is point i's position on the canvas (y up, as in a plot).
func (s *Scatter) ToPixel(i int) (float64, float64) {
	return s.DataToPixel(float64(s.Points[2*i]), float64(s.Points[2*i+1]))
}

// DataToPixel maps map coordinates to canvas pixels.
func (s *Scatter) DataToPixel(x, y float64) (float64, float64) {
	return (x - s.x0) / (s.x1 - s.x0) * float64(s.W), (s.y1 - y) / (s.y1 - s.y0) * float64(s.H)
}

// PixelToData maps a canvas pixel to map coordinates.
func (s *Scatter) PixelToData(px, py float64) (float64, float64) {
	return s.x0 + px/float64(s.W)*(s.x1-s.x0), s.y1 - py/float64(s.H)*(s.y1-s.y0)
}

// Nearest is the point closest to pixel (px, py) within r pixels, or -1.
func (s *Scatter) Nearest(px, py, r float64) int {
	best, bestD := -1, r*r
	c0x, c0y := int(px-r)/s.cell, int(py-r)/s.cell
	c1x, c1y := int(px+r)/s.cell, int(py+r)/s.cell
	for cy := max(c0y, 0); cy <= min(c1y, s.rows-1); cy++ {
		for cx := max(c0x, 0); cx <= min(c1x, s.cols-1); cx++ {
			for _, i := range s.cells[cy*s.cols+cx] {
				x, y := s.ToPixel(int(i))
				if d := (x-px)*(x-px) + (y-py)*(y-py); d <= bestD {
					best, bestD = int(i), d
				}
			}
		}
	}
	return best
}

// Render draws the points as small translucent discs of radius r pixels.
func (s *Scatter) Render(r int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, s.W, s.H))
	for i := 0; i < s.N; i++ {
		px, py := s.ToPixel(i)
		c := LabelColors[s.Labels[i]%10]
		cx, cy := int(px), int(py)
		for dy := -r; dy <= r; dy++ {
			for dx := -r; dx <= r; dx++ {
				if dx*dx+dy*dy > r*r+r {
					continue
				}
				x, y := cx+dx, cy+dy
				if x < 0 || y < 0 || x >= s.W || y >= s.H {
					continue
				}
				o := img.PixOffset(x, y)
				p := img.Pix[o : o+4 : o+4]
				// Over-blend at 70% opacity, so dense clusters show.
				p[0] = uint8((7*int(c.R) + 3*int(p[0])*int(p[3])/255) / 10)
				p[1] = uint8((7*int(c.G) + 3*int(p[1])*int(p[3])/255) / 10)
				p[2] = uint8((7*int(c.B) + 3*int(p[2])*int(p[3])/255) / 10)
				p[3] = uint8(min(255, 178+int(p[3])*3/10))
			}
		}
	}
	return img
}
