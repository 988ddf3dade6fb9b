package mnistdata

import "testing"

func TestLoadRealMNIST(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if s.Train.N != 60000 || s.Test.N != 10000 || s.Train.Rows != 28 || s.Train.Cols != 28 {
		t.Fatalf("got %d train, %d test images of %dx%d", s.Train.N, s.Test.N, s.Train.Rows, s.Train.Cols)
	}
	// The first test digit of MNIST is a 7, the first training digit a 5.
	if s.TestLabels[0] != 7 || s.TrainLabels[0] != 5 {
		t.Errorf("first labels %d, %d; want 7 (test) and 5 (train)", s.TestLabels[0], s.TrainLabels[0])
	}
}
